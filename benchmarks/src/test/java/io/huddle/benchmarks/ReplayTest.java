package io.huddle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.spi.UpstreamBudget;
import io.huddle.sports.Player;
import io.huddle.sports.SportsAhead;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The replay's arithmetic, its workload and a short run; counts only, never timings. */
class ReplayTest {
    @Test
    void zipf_draws_are_the_same_for_the_same_seed_and_within_the_ranks() {
        Zipf zipf = new Zipf(100, 1.1);
        SplittableRandom a = new SplittableRandom(7);
        SplittableRandom b = new SplittableRandom(7);

        int[] first = IntStream.range(0, 1000).map(i -> zipf.draw(a)).toArray();
        int[] second = IntStream.range(0, 1000).map(i -> zipf.draw(b)).toArray();

        assertThat(first).isEqualTo(second);
        assertThat(IntStream.of(first).min().orElseThrow()).isGreaterThanOrEqualTo(1);
        assertThat(IntStream.of(first).max().orElseThrow()).isLessThanOrEqualTo(100);
    }

    @Test
    void zipf_probabilities_follow_the_law_and_the_draws_follow_them() {
        Zipf zipf = new Zipf(1000, 1.0);
        assertThat(IntStream.rangeClosed(1, 1000).mapToDouble(zipf::probability).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(zipf.probability(1) / zipf.probability(2)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(zipf.probability(1) / zipf.probability(10))
                .isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));

        SplittableRandom random = new SplittableRandom(14);
        int[] counts = new int[1001];
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts[zipf.draw(random)]++;
        }
        // a fixed seed: the same counts every run; within 3% of the expected for the head
        for (int rank = 1; rank <= 5; rank++) {
            double expected = zipf.probability(rank) * draws;
            assertThat((double) counts[rank]).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(3));
        }
        assertThat(counts[1]).isGreaterThan(counts[2]);
        assertThat(counts[2]).isGreaterThan(counts[4]);
    }

    @Test
    void an_exponent_of_zero_is_uniform() {
        Zipf zipf = new Zipf(4, 0);
        assertThat(IntStream.rangeClosed(1, 4).mapToDouble(zipf::probability))
                .allSatisfy(p -> assertThat(p).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-12)));
    }

    @Test
    void the_most_in_any_window_counts_a_window_start_included_end_excluded() {
        List<long[]> sent =
                List.of(new long[] {0, 2}, new long[] {30_000, 3}, new long[] {59_999, 1}, new long[] {60_000, 4});

        // [0, 60000): 2 + 3 + 1 = 6; [30000, 90000): 3 + 1 + 4 = 8
        assertThat(Replay.maxInAnyWindow(sent, 60_000)).isEqualTo(8);
        assertThat(Replay.maxInAnyWindow(sent, 1)).isEqualTo(4);
        assertThat(Replay.maxInAnyWindow(List.of(), 60_000)).isZero();
    }

    private static List<Player> league() {
        List<Player> players = new ArrayList<>();
        for (String team : List.of("KC", "BUF", "DAL")) {
            for (int i = 0; i < 10; i++) {
                players.add(new Player(team + i, "First" + i, team + "last", i % 2 == 0 ? "QB" : "WR", team));
            }
        }
        players.add(new Player("mp", "Micah", "Parsons", "LB", "DAL"));
        players.add(new Player("tw", "T.J.", "Watt", "LB", "PIT"));
        players.add(new Player("pm", "Patrick", "Mahomes", "QB", "KC"));
        players.add(new Player("x1", "Same", "Name", "QB", "KC"));
        players.add(new Player("x2", "Same", "Name", "WR", "BUF"));
        return players;
    }

    @Test
    void popularity_puts_the_seeds_popular_players_first_and_leaves_shared_names_out() {
        List<String> order = ReplayWorkload.byPopularity(league(), 14);

        assertThat(order.subList(0, 3)).containsExactly("Patrick Mahomes", "Micah Parsons", "T.J. Watt");
        assertThat(order).doesNotContain("Same Name").hasSize(33).doesNotHaveDuplicates();
        assertThat(ReplayWorkload.byPopularity(league(), 14)).isEqualTo(order);
        assertThat(ReplayWorkload.byPopularity(league(), 15)).isNotEqualTo(order);
    }

    @Test
    void related_players_are_the_seed_relation_or_teammates_at_the_same_position() {
        List<String> order = ReplayWorkload.byPopularity(league(), 14);
        Map<String, List<String>> related = ReplayWorkload.related(league(), order);

        assertThat(SportsAhead.RELATED_PLAYERS.get("Micah Parsons")).contains("T.J. Watt");
        assertThat(related.get("Micah Parsons")).containsExactly("T.J. Watt"); // the seed's, in the league
        assertThat(related.get("First0 KClast"))
                .hasSize(ReplayWorkload.RELATED_PER_PLAYER)
                .as("KC's quarterbacks, Patrick Mahomes the most popular")
                .startsWith("Patrick Mahomes")
                .allSatisfy(name -> assertThat(name).matches("Patrick Mahomes|First[02468] KClast"))
                .doesNotContain("First0 KClast");
        List<String> kcQuarterbacks = related.get("First0 KClast");
        assertThat(kcQuarterbacks)
                .as("most popular first")
                .isSortedAccordingTo(java.util.Comparator.comparingInt(order::indexOf));
    }

    @Test
    void the_questions_are_the_same_for_the_same_seed_and_sessions_move_to_related_players() {
        List<String> order = ReplayWorkload.byPopularity(league(), 14);
        Map<String, List<String>> related = ReplayWorkload.related(league(), order);
        ReplayWorkload.Settings settings =
                new ReplayWorkload.Settings(5000, Duration.ofMinutes(10), 1.1, 20, 5, 0.6, 0.3, 14L);

        List<ReplayWorkload.Question> questions = ReplayWorkload.questions(settings, order, related);

        assertThat(ReplayWorkload.questions(settings, order, related)).isEqualTo(questions);
        assertThat(questions).hasSize(5000);
        assertThat(questions.get(4999).atMillis()).isEqualTo(4999 * 120L);
        double comparisons =
                questions.stream().filter(ReplayWorkload.Question::comparison).count() / 5000.0;
        assertThat(comparisons).isBetween(0.15, 0.31);
        // a session's next player is often one of its last one's related players
        Map<String, String> last = new java.util.HashMap<>();
        int moves = 0;
        int related_ = 0;
        for (ReplayWorkload.Question q : questions) {
            String before = last.get(q.session());
            if (before != null) {
                moves++;
                if (related.get(before).contains(q.first())) {
                    related_++;
                }
            }
            last.put(q.session(), q.comparison() ? q.second() : q.first());
        }
        assertThat((double) related_ / moves).isBetween(0.55, 0.8);
        assertThat(questions.stream()
                        .map(ReplayWorkload.Question::session)
                        .distinct()
                        .count())
                .as("sessions of 5 questions on average")
                .isBetween(800L, 1200L);
    }

    @Test
    void the_weighted_index_favours_the_first() {
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[3];
        for (int i = 0; i < 60_000; i++) {
            counts[ReplayWorkload.weightedIndex(3, random)]++;
        }
        assertThat(counts[0]).isGreaterThan(counts[1]);
        assertThat(counts[1]).isGreaterThan(counts[2]);
    }

    @Test
    void the_budget_on_the_replays_clock_keeps_its_reserve_from_background_work_and_refills() {
        ReplayTime.Clock clock = new ReplayTime.Clock(Instant.parse("2024-11-03T17:00:00Z"));
        UpstreamBudget budget = ReplayTime.budget(io.huddle.core.spi.BudgetPlan.perMinute(60), clock);
        // 60 a minute: a burst of 6, 3 of them the users' reserve
        int background = 0;
        while (budget.tryAcquire(UpstreamBudget.Priority.BACKGROUND, Duration.ZERO)) {
            background++;
        }
        int users = 0;
        while (budget.tryAcquire(UpstreamBudget.Priority.USER, Duration.ofSeconds(5))) {
            users++;
        }
        assertThat(background).isEqualTo(3);
        assertThat(users).as("users never wait on the replay's clock").isEqualTo(3);

        clock.advance(Duration.ofMinutes(1));
        assertThat(budget.tryAcquire(UpstreamBudget.Priority.USER, Duration.ZERO))
                .isTrue();
    }

    @Test
    void a_short_replay_asks_both_sides_the_same_questions_within_the_plan() {
        Replay.Settings settings = Replay.Settings.of(300, Replay.Settings.EXPONENT, 10);
        Replay.Settings quick = new Replay.Settings(
                settings.workload(), settings.plan(), Duration.ZERO, settings.warmEvery(), settings.backgroundQueue());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        Replay.Result result = Replay.run(quick, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(result.off().workload()).isEqualTo(result.on().workload());
        assertThat(result.off().counts()).isNull();
        assertThat(result.on().counts().warmPasses()).isPositive();
        assertThat(result.on().stats().warmLoads()).isPositive();
        for (Replay.Side side : List.of(result.off(), result.on())) {
            assertThat(side.questions()).isEqualTo(300);
            assertThat(side.maxInAnyWindow()).isLessThanOrEqualTo(60);
            assertThat(side.ownMaxInAnyWindow()).isEqualTo(side.maxInAnyWindow());
            assertThat(side.rateLimited()).isZero();
            assertThat(side.misses()).isPositive();
        }
        assertThat(Report.replay(result)).contains("user-visible misses", "Targets");
    }
}
