package io.huddle.benchmarks;

import io.huddle.sports.Player;
import io.huddle.sports.SportsAhead;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The replay's synthetic chatbot workload, a pure function of the league's players and a seed: who
 * is popular (a Zipf law over the players, the seed's {@link SportsAhead#POPULAR_PLAYERS} first),
 * who is related to whom (the seed's {@link SportsAhead#RELATED_PLAYERS} for the players it names,
 * otherwise teammates at the same position), and the questions users ask, in sessions that move to
 * related players.
 */
final class ReplayWorkload {
    /** Related players kept per player: what a session may move to next. */
    static final int RELATED_PER_PLAYER = 3;

    private ReplayWorkload() {}

    /**
     * How the questions are drawn.
     *
     * @param questions how many
     * @param over the simulated time they are spread over, evenly
     * @param exponent the Zipf exponent of the players' popularity
     * @param openSessions sessions open at once; each question belongs to one drawn uniformly
     * @param meanSessionLength the questions of a session on average (a geometric law)
     * @param relatedMove the probability that a session's next player is related to its last one
     * @param comparisons the probability that a question compares two players
     * @param seed the seed of every draw
     */
    record Settings(
            int questions,
            Duration over,
            double exponent,
            int openSessions,
            double meanSessionLength,
            double relatedMove,
            double comparisons,
            long seed) {
        Settings {
            if (questions < 1 || openSessions < 1 || meanSessionLength < 1 || over.isNegative() || over.isZero()) {
                throw new IllegalArgumentException("questions, sessions and their length must be positive");
            }
            if (!(relatedMove >= 0 && relatedMove <= 1 && comparisons >= 0 && comparisons <= 1)) {
                throw new IllegalArgumentException("probabilities must be in [0, 1]");
            }
        }

        /** The simulated time between two questions. */
        long gapMillis() {
            return over.toMillis() / questions;
        }
    }

    /**
     * One question.
     *
     * @param index its place in the replay, from 0
     * @param atMillis when it is asked, from the replay's start, in simulated time
     * @param session the session it belongs to
     * @param first the player asked about
     * @param second the other player of a comparison, or null for a single player's statistics
     */
    record Question(int index, long atMillis, String session, String first, String second) {
        Question {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(first, "first");
        }

        boolean comparison() {
            return second != null;
        }
    }

    /**
     * The players' full names by popularity, most popular first: the seed's popular players that are
     * in the league, in the seed's order, then the others in an order shuffled by the seed. A full
     * name two players share is left out (it asks nothing answerable).
     */
    static List<String> byPopularity(List<Player> players, long seed) {
        Map<String, Long> counts =
                players.stream().collect(Collectors.groupingBy(Player::fullName, Collectors.counting()));
        List<String> unique = counts.entrySet().stream()
                .filter(e -> e.getValue() == 1)
                .map(Map.Entry::getKey)
                .sorted()
                .collect(Collectors.toCollection(ArrayList::new));
        List<String> popular =
                SportsAhead.POPULAR_PLAYERS.stream().filter(unique::contains).toList();
        unique.removeAll(popular);
        Collections.shuffle(unique, new Random(seed));
        List<String> order = new ArrayList<>(popular);
        order.addAll(unique);
        return List.copyOf(order);
    }

    /**
     * Each player's related players, most popular first: the seed relation's for the players it
     * names (those in the league), else up to {@value #RELATED_PER_PLAYER} teammates at the same
     * position, else teammates at any position. Only players of {@code byPopularity} appear.
     */
    static Map<String, List<String>> related(List<Player> players, List<String> byPopularity) {
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < byPopularity.size(); i++) {
            rank.put(byPopularity.get(i), i);
        }
        Map<String, Player> byName = players.stream()
                .filter(p -> rank.containsKey(p.fullName()))
                .collect(Collectors.toMap(Player::fullName, Function.identity()));
        Comparator<Player> popularFirst = Comparator.comparingInt(p -> rank.get(p.fullName()));
        Map<String, List<Player>> byTeam = byName.values().stream()
                .filter(p -> p.teamId() != null)
                .sorted(popularFirst)
                .collect(Collectors.groupingBy(Player::teamId));
        Map<String, List<String>> related = new LinkedHashMap<>();
        for (String name : byPopularity) {
            List<String> seeded = SportsAhead.RELATED_PLAYERS.getOrDefault(name, List.of()).stream()
                    .filter(rank::containsKey)
                    .toList();
            if (!seeded.isEmpty()) {
                related.put(name, seeded);
                continue;
            }
            Player player = byName.get(name);
            List<Player> team = player.teamId() == null ? List.of() : byTeam.get(player.teamId());
            List<String> samePosition = team.stream()
                    .filter(p -> p != player && p.position().equals(player.position()))
                    .limit(RELATED_PER_PLAYER)
                    .map(Player::fullName)
                    .toList();
            related.put(
                    name,
                    !samePosition.isEmpty()
                            ? samePosition
                            : team.stream()
                                    .filter(p -> p != player)
                                    .limit(RELATED_PER_PLAYER)
                                    .map(Player::fullName)
                                    .toList());
        }
        return related;
    }

    /**
     * The questions, in the order they are asked. Each goes to one of the open sessions, drawn
     * uniformly; a session's first player is drawn by popularity, each next one is, with probability
     * {@code relatedMove}, one of the last one's related players (the first of them twice as likely
     * as the second, three times the third), else drawn by popularity again. A comparison pairs the
     * session's player with the next one drawn the same way. After each question the session ends
     * with probability {@code 1 / meanSessionLength}, and a new one takes its place.
     */
    static List<Question> questions(Settings settings, List<String> byPopularity, Map<String, List<String>> related) {
        Zipf zipf = new Zipf(byPopularity.size(), settings.exponent());
        SplittableRandom random = new SplittableRandom(settings.seed());
        String[] sessions = new String[settings.openSessions()];
        String[] last = new String[settings.openSessions()];
        int opened = 0;
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = "session-" + opened++;
        }
        double endChance = 1 / settings.meanSessionLength();
        List<Question> questions = new ArrayList<>(settings.questions());
        for (int i = 0; i < settings.questions(); i++) {
            int s = random.nextInt(sessions.length);
            String first = next(last[s], zipf, byPopularity, related, settings.relatedMove(), random);
            String second = null;
            if (random.nextDouble() < settings.comparisons()) {
                second = next(first, zipf, byPopularity, related, settings.relatedMove(), random);
                if (second.equals(first)) {
                    second = null; // a comparison of a player with himself is asked as his statistics
                }
            }
            questions.add(new Question(i, i * settings.gapMillis(), sessions[s], first, second));
            last[s] = second != null ? second : first;
            if (random.nextDouble() < endChance) {
                sessions[s] = "session-" + opened++;
                last[s] = null;
            }
        }
        return List.copyOf(questions);
    }

    private static String next(
            String from,
            Zipf zipf,
            List<String> byPopularity,
            Map<String, List<String>> related,
            double relatedMove,
            SplittableRandom random) {
        if (from != null && random.nextDouble() < relatedMove) {
            List<String> near = related.getOrDefault(from, List.of());
            if (!near.isEmpty()) {
                return near.get(weightedIndex(near.size(), random));
            }
        }
        return byPopularity.get(zipf.draw(random) - 1);
    }

    /** An index below {@code n}, index {@code i} with weight {@code 1 / (i + 1)}. */
    static int weightedIndex(int n, SplittableRandom random) {
        double total = 0;
        for (int i = 1; i <= n; i++) {
            total += 1.0 / i;
        }
        double u = random.nextDouble() * total;
        for (int i = 1; i <= n; i++) {
            u -= 1.0 / i;
            if (u < 0) {
                return i - 1;
            }
        }
        return n - 1;
    }
}
