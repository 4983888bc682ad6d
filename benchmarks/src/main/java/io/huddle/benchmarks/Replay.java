package io.huddle.benchmarks;

import io.huddle.client.BalldontlieClient;
import io.huddle.core.SharedCache;
import io.huddle.core.ahead.LoadAhead;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.PermitRefusedException;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Comparison;
import io.huddle.sports.Player;
import io.huddle.sports.PlayerLookupException;
import io.huddle.sports.Season;
import io.huddle.sports.SportsAhead;
import io.huddle.sports.SportsKinds;
import io.huddle.sports.SportsStatsService;
import io.huddle.sports.Team;
import io.huddle.sports.UpstreamException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Warming and prefetch, replayed: a seeded synthetic chatbot workload ({@link ReplayWorkload}) asked
 * of the chatbot's stack twice in one run, warming and prefetch off then on, each side on a fresh
 * stack: the upstream simulator (its rate limit the plan's), the API client with the plan's budget,
 * the engine on the in-memory reference port and the {@link SportsStatsService}, with {@link
 * SportsAhead} attached on the "on" side.
 *
 * <p>Time is simulated: one clock ({@link ReplayTime.Clock}) for the engine, the budget, the
 * simulator's rate windows and warming's sketch and relation, moved question by question. Warming
 * runs a pass ({@link SportsAhead#runOnce()}) at the start and each time its period passes; the
 * background work (warm loads, prefetch rounds and their loads, refreshes) is queued while a user is
 * answered and run right after the answer, at the same simulated instant ({@link
 * ReplayTime.Between}). Users never wait for a permit: a question that finds the budget empty fails
 * at once. A user's wait is wall time: the in-process call, with the simulator's latency on each
 * upstream request it makes.
 */
final class Replay {
    /** The key the simulated provider is asked with. */
    private static final String API_KEY = "replay-key";

    private static final Instant START = Instant.parse("2024-11-03T17:00:00Z");

    private Replay() {}

    /**
     * How the run goes.
     *
     * @param workload the questions
     * @param plan the plan's requests a minute: the budget's, and the simulator's rate limit
     * @param latency the simulator's delay per request (real time)
     * @param warmEvery the period of warming's passes, in simulated time
     * @param backgroundQueue the background tasks queued at most between two questions
     */
    record Settings(
            ReplayWorkload.Settings workload, int plan, Duration latency, Duration warmEvery, int backgroundQueue) {
        Settings {
            Objects.requireNonNull(workload, "workload");
            if (plan < 2 || latency.isNegative() || warmEvery.isNegative() || warmEvery.isZero()) {
                throw new IllegalArgumentException("a plan of at least 2, a latency not negative, a period");
            }
        }

        /** The default exponent of the players' popularity. */
        static final double EXPONENT = 1.1;

        /**
         * The default simulated minutes the questions are spread over: four hours, several ttls of
         * the players' statistics (an hour), so that entries expire during the run, as they do in a
         * chatbot's day.
         */
        static final int MINUTES = 240;

        /**
         * {@code questions} over {@code minutes} simulated minutes (default {@link #MINUTES}) on a
         * plan of 60 a minute, 20 ms of latency, popularity by a Zipf law of the exponent (default
         * {@link #EXPONENT}), 20 sessions open at once of 5 questions on average, 60% of moves to a
         * related player, 30% comparisons, seed 14.
         */
        static Settings of(int questions, double exponent, int minutes) {
            return new Settings(
                    new ReplayWorkload.Settings(questions, Duration.ofMinutes(minutes), exponent, 20, 5, 0.6, 0.3, 14L),
                    60,
                    Duration.ofMillis(20),
                    Duration.ofSeconds(5),
                    256);
        }
    }

    /**
     * One side of the run.
     *
     * @param ahead whether warming and prefetch were on
     * @param players the league's players asked about (their full names unique)
     * @param distinct the players the questions named
     * @param workload the questions' hash: both sides must have been asked the same
     * @param questions questions asked
     * @param ownLoads questions whose answer made at least one upstream request of its own (counted
     *     by the simulator between the question and its answer) and succeeded
     * @param firstNamedLoads of which named a player no earlier question had named: only a prediction
     *     (warming's popular list, prefetch) can make those hits
     * @param failures failed answers by type
     * @param waitMicros every user's wait, wall time, sorted
     * @param upstream upstream requests of the measured part (the simulator's count), background
     *     work included
     * @param userRequests of which made while a user was being answered
     * @param maxInAnyWindow the most requests the simulator accepted in any 60 s of simulated time
     * @param ownMaxInAnyWindow the same, from the replay's own record of when requests were sent
     * @param rateLimited requests the simulator refused with 429
     * @param stats the engine's statistics of the players' season statistics
     * @param all the engine's statistics, all kinds together
     * @param counts what warming and prefetch did, or null when off
     * @param budget the budget's permits
     * @param took the side's wall time
     */
    record Side(
            boolean ahead,
            int players,
            int distinct,
            int workload,
            int questions,
            long ownLoads,
            long firstNamedLoads,
            Map<String, Long> failures,
            long[] waitMicros,
            long upstream,
            long userRequests,
            int maxInAnyWindow,
            int ownMaxInAnyWindow,
            long rateLimited,
            CacheStatistics stats,
            CacheStatistics all,
            LoadAhead.Counts counts,
            BudgetStatistics budget,
            Duration took) {
        Side {
            failures = Map.copyOf(failures);
            waitMicros = waitMicros.clone();
            Arrays.sort(waitMicros);
        }

        long failed() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }

        /** User-visible misses: answers that needed an upstream request of their own, or failed. */
        long misses() {
            return ownLoads + failed();
        }

        double missRate() {
            return (double) misses() / questions;
        }

        long p50() {
            return FleetProtocol.percentile(waitMicros, 50);
        }

        long p99() {
            return FleetProtocol.percentile(waitMicros, 99);
        }

        String label() {
            return ahead ? "on" : "off";
        }
    }

    /** Both sides, and the run's targets. */
    record Result(Settings settings, Side off, Side on, Duration took) {
        /** With warming and prefetch on, user-visible misses at most half of what they are off. */
        boolean missesHalved() {
            return 2 * on.misses() <= off.misses();
        }

        /** Every 60 s window of both sides within the plan. */
        boolean withinPlan() {
            return off.maxInAnyWindow() <= settings.plan() && on.maxInAnyWindow() <= settings.plan();
        }

        /** No request refused with 429, on either side. */
        boolean no429() {
            return off.rateLimited() == 0 && on.rateLimited() == 0;
        }

        double p99Ratio() {
            return (double) on.p99() / off.p99();
        }

        /** Users' p99 with warming and prefetch on no worse than off. */
        boolean p99NoWorse() {
            return on.p99() <= off.p99();
        }
    }

    /** Runs both sides, off first, printing a line per side. */
    static Result run(Settings settings, PrintStream progress) {
        long started = System.nanoTime();
        Side off = side(settings, false, progress);
        Side on = side(settings, true, progress);
        if (off.workload() != on.workload()) {
            throw new IllegalStateException("the two sides were asked different questions");
        }
        return new Result(settings, off, on, Duration.ofNanos(System.nanoTime() - started));
    }

    private static Side side(Settings settings, boolean ahead, PrintStream progress) {
        long started = System.nanoTime();
        ReplayTime.Clock clock = new ReplayTime.Clock(START);
        Season season = Season.of(UpstreamSimulator.SEASON);
        UpstreamSimulator sim = UpstreamSimulator.builder()
                .clock(clock)
                .rateLimitPerMinute(settings.plan())
                .latency(settings.latency())
                .nameSearch(true)
                .build()
                .start();
        ReplayTime.Between between = new ReplayTime.Between(settings.backgroundQueue());
        SharedCache cache = null;
        SportsAhead warming = null;
        try {
            List<Player> league = league(sim, season);
            List<String> byPopularity =
                    ReplayWorkload.byPopularity(league, settings.workload().seed());
            List<ReplayWorkload.Question> questions = ReplayWorkload.questions(
                    settings.workload(), byPopularity, ReplayWorkload.related(league, byPopularity));
            // the listing's requests leave the simulator's rate window before the measured part
            clock.advance(Duration.ofMinutes(2));
            sim.resetCounters();

            UpstreamBudget budget = ReplayTime.budget(BudgetPlan.perMinute(settings.plan()), clock);
            BalldontlieClient client = BalldontlieClient.builder(sim.baseUrl(), API_KEY)
                    .budget(budget)
                    .maxWaitForPermit(Duration.ZERO)
                    .clock(clock)
                    .build();
            cache = SharedCache.builder(new InMemoryCachePort(clock))
                    .clock(clock)
                    .loadExecutor(Runnable::run)
                    .backgroundExecutor(between)
                    .build();
            SportsStatsService service = new SportsStatsService(cache, client, season);
            if (ahead) {
                warming = SportsAhead.builder(service)
                        .clock(clock)
                        .executor(between)
                        .tuning(config -> config.every(settings.warmEvery()))
                        .build();
            }

            Instant measuredFrom = clock.instant();
            List<long[]> sent = new ArrayList<>(); // {simulated millis, requests}
            long[] waits = new long[questions.size()];
            Map<String, Long> failures = new TreeMap<>();
            long ownLoads = 0;
            long userRequests = 0;
            long nextWarm = 0;
            long seen = sim.calls().total();
            Set<String> named = new HashSet<>();
            long firstNamedLoads = 0;
            for (ReplayWorkload.Question question : questions) {
                boolean firstNamed =
                        named.add(question.first()) | (question.comparison() && named.add(question.second()));
                Duration late = Duration.between(clock.instant(), measuredFrom.plusMillis(question.atMillis()));
                clock.advance(late.isNegative() ? Duration.ZERO : late);
                if (warming != null && question.atMillis() >= nextWarm) {
                    warming.runOnce();
                    between.drain();
                    nextWarm += settings.warmEvery().toMillis();
                }
                seen = record(sim, clock, measuredFrom, seen, sent);
                long before = seen;
                long asked = System.nanoTime();
                String failure = ask(service, question, season);
                waits[question.index()] = (System.nanoTime() - asked) / 1000;
                seen = record(sim, clock, measuredFrom, seen, sent);
                long own = seen - before;
                userRequests += own;
                if (failure != null) {
                    failures.merge(failure, 1L, Long::sum);
                } else if (own > 0) {
                    ownLoads++;
                    if (firstNamed) {
                        firstNamedLoads++;
                    }
                }
                between.drain();
            }
            record(sim, clock, measuredFrom, seen, sent);
            var calls = sim.calls();
            Side side = new Side(
                    ahead,
                    byPopularity.size(),
                    (int) questions.stream()
                            .flatMap(q -> q.comparison()
                                    ? java.util.stream.Stream.of(q.first(), q.second())
                                    : java.util.stream.Stream.of(q.first()))
                            .distinct()
                            .count(),
                    questions.hashCode(),
                    questions.size(),
                    ownLoads,
                    firstNamedLoads,
                    failures,
                    waits,
                    calls.total(),
                    userRequests,
                    calls.maxAcceptedInAnyMinute(),
                    maxInAnyWindow(sent, Duration.ofMinutes(1).toMillis()),
                    calls.rateLimited(),
                    cache.stats(SportsKinds.PLAYER_STATS),
                    cache.stats(),
                    warming == null ? null : warming.counts(),
                    budget.statistics(),
                    Duration.ofNanos(System.nanoTime() - started));
            progress.printf(
                    Locale.ROOT,
                    "[huddle-bench] replay: warming and prefetch %s: %d questions, %d user-visible misses (%d loaded,"
                            + " %d failed), p50 %s, p99 %s; %d upstream requests, at most %d in any 60 s, %d x 429;"
                            + " %.1f s%n",
                    side.label(),
                    side.questions(),
                    side.misses(),
                    side.ownLoads(),
                    side.failed(),
                    Report.micros(side.p50()),
                    Report.micros(side.p99()),
                    side.upstream(),
                    side.maxInAnyWindow(),
                    side.rateLimited(),
                    side.took().toMillis() / 1000.0);
            return side;
        } finally {
            if (warming != null) {
                warming.close();
            }
            if (cache != null) {
                cache.close();
            }
            sim.close();
        }
    }

    /** Records the requests the simulator counted since {@code seen}, at the clock's instant; the new count. */
    private static long record(
            UpstreamSimulator sim, ReplayTime.Clock clock, Instant from, long seen, List<long[]> sent) {
        long now = sim.calls().total();
        if (now > seen) {
            sent.add(new long[] {Duration.between(from, clock.instant()).toMillis(), now - seen});
        }
        return now;
    }

    /**
     * The most requests within any window of {@code windowMillis} (start included, end excluded),
     * from {@code {millis, requests}} records in time order.
     */
    static int maxInAnyWindow(List<long[]> sent, long windowMillis) {
        long most = 0;
        long inWindow = 0;
        int first = 0;
        for (long[] record : sent) {
            inWindow += record[1];
            while (sent.get(first)[0] <= record[0] - windowMillis) {
                inWindow -= sent.get(first)[1];
                first++;
            }
            most = Math.max(most, inWindow);
        }
        return Math.toIntExact(most);
    }

    /** Asks the question as the chatbot would, in its session; null if answered, else the failure's type. */
    private static String ask(SportsStatsService service, ReplayWorkload.Question question, Season season) {
        try {
            if (question.comparison()) {
                Comparison comparison =
                        service.compare(question.first(), question.second(), season, question.session());
                return comparison.firstStats().isPresent()
                                && comparison.secondStats().isPresent()
                        ? null
                        : "no statistics";
            }
            return service.seasonStats(question.first(), season, question.session())
                            .isPresent()
                    ? null
                    : "no statistics";
        } catch (RuntimeException e) {
            return failureType(e);
        }
    }

    /** What failed, in a few words: the budget's refusal, else the upstream's or the lookup's failure. */
    static String failureType(Throwable failure) {
        if (PermitRefusedException.isIn(failure)) {
            return "no permit (budget spent)";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UpstreamException || cause instanceof PlayerLookupException) {
                return cause.getClass().getSimpleName();
            }
        }
        return failure.getClass().getSimpleName();
    }

    /** Every player on the season's rosters, listed through a client of the simulator's own. */
    static List<Player> league(UpstreamSimulator sim, Season season) {
        BalldontlieClient lister = BalldontlieClient.builder(sim.baseUrl(), API_KEY)
                .requestsPerMinute(60_000)
                .build();
        List<Player> players = new ArrayList<>();
        for (Team team : lister.teams()) {
            players.addAll(lister.roster(team.id(), season).players());
        }
        return players;
    }
}
