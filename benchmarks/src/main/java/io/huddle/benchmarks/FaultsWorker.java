package io.huddle.benchmarks;

import io.huddle.benchmarks.Faults.PopularPlayer;
import io.huddle.benchmarks.FaultsProtocol.Answers;
import io.huddle.benchmarks.FaultsProtocol.Command;
import io.huddle.benchmarks.FaultsProtocol.EngineCounts;
import io.huddle.benchmarks.FaultsProtocol.EventKind;
import io.huddle.benchmarks.FaultsProtocol.Mix;
import io.huddle.benchmarks.FaultsProtocol.PhaseReport;
import io.huddle.benchmarks.FaultsProtocol.UpstreamEvent;
import io.huddle.benchmarks.FaultsProtocol.WriteBack;
import io.huddle.caffeine.CaffeineCachePort;
import io.huddle.client.BalldontlieClient;
import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CacheLoadTimeoutException;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.tiered.TieredCachePort;
import io.huddle.redis.RedisHuddle;
import io.huddle.sports.Comparison;
import io.huddle.sports.Player;
import io.huddle.sports.PlayerLookupException;
import io.huddle.sports.PlayerStats;
import io.huddle.sports.Roster;
import io.huddle.sports.Season;
import io.huddle.sports.SportsDataPort;
import io.huddle.sports.SportsKinds;
import io.huddle.sports.SportsPolicies;
import io.huddle.sports.SportsStatsService;
import io.huddle.sports.Team;
import io.huddle.sports.UpstreamException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * One server of the {@link Faults} run: the chatbot's stack as a server would build it, a {@link
 * SportsStatsService} over a {@link SharedCache} on a near cache (Caffeine in front of Redis) with
 * the Redis lease coordinator and invalidation bus, and a {@link BalldontlieClient} with name search
 * taking its permits from the Redis upstream budget that every server shares ({@code servers} of
 * them on the plan). Its users (one thread each) loop: a pause, then a question, whose answer or
 * exception is counted in the phase it was asked in.
 *
 * <p>Two thin wrappers watch the upstream without changing it: the provider port tells which items
 * a call is for (a popular player's id lookup or stats, or the long tail), and the budget records a
 * request whenever it gives a permit (the client sends a request right after each permit, and none
 * without), so the driver learns every request the server sent, when, and for what.
 *
 * <p>Arguments, each {@code name=value}: {@code index}, {@code users}, {@code redis} (URI), {@code
 * prefix} (key prefix), {@code upstream} (base URL), {@code key} (API key), {@code servers}, {@code
 * plan} (requests a minute), {@code stats-ttl-ms}, {@code think-min-ms}, {@code think-max-ms}, {@code
 * long-tail-share} (chance that a question is about the long tail), {@code seed}. Commands: {@link
 * FaultsProtocol}.
 */
public final class FaultsWorker implements WorkerMain.Commands {
    static final Duration STOP_GRACE = Duration.ofSeconds(120);
    /** Failures of one type, sort of question and phase written to stderr, with their message. */
    private static final int LOGGED_FAILURES = 3;

    private static final ThreadLocal<Call> CURRENT_CALL = new ThreadLocal<>();

    private final int index;
    private final int users;
    private final long thinkMinMillis;
    private final long thinkMaxMillis;
    private final double longTailShare;
    private final long seed;
    private final TieredCachePort near;
    private final SharedCache engine;
    private final LoadCoordinator coordinator;
    private final UpstreamBudget budget;
    private final SportsStatsService sports;
    private final List<List<PopularPlayer>> pairs = Faults.popularPairs();
    private final Map<String, String> popularIdBySearchWord =
            Faults.POPULAR.stream().collect(Collectors.toMap(PopularPlayer::searchWord, PopularPlayer::id));
    private final Set<String> popularIds =
            Faults.POPULAR.stream().map(PopularPlayer::id).collect(Collectors.toSet());

    private final ExecutorService userThreads;
    private final List<Tally> tallies = new ArrayList<>();
    private final List<Counters> countersAtStart = new ArrayList<>();
    private Counters countersAtStop;
    private final ConcurrentLinkedQueue<UpstreamEvent> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> logged = new ConcurrentHashMap<>();
    private volatile List<String> longTail = List.of();
    private final AtomicInteger nextLongTail = new AtomicInteger();
    private volatile Tally current;
    private volatile Mix mix = Mix.POPULAR;
    private volatile boolean running;

    private FaultsWorker(Map<String, String> options) {
        this.index = Integer.parseInt(WorkerMain.option(options, "index"));
        this.users = Integer.parseInt(WorkerMain.option(options, "users"));
        this.thinkMinMillis = Long.parseLong(WorkerMain.option(options, "think-min-ms"));
        this.thinkMaxMillis = Long.parseLong(WorkerMain.option(options, "think-max-ms"));
        this.longTailShare = Double.parseDouble(WorkerMain.option(options, "long-tail-share"));
        this.seed = Long.parseLong(WorkerMain.option(options, "seed"));
        Duration statsTtl = Duration.ofMillis(Long.parseLong(WorkerMain.option(options, "stats-ttl-ms")));
        RedisHuddle redis = RedisHuddle.builder()
                .uri(URI.create(WorkerMain.option(options, "redis")))
                .keyPrefix(WorkerMain.option(options, "prefix"))
                .build();
        this.near = TieredCachePort.builder(CaffeineCachePort.builder().build(), redis.cachePort())
                .build();
        this.coordinator = redis.loadCoordinator();
        this.engine = SharedCache.builder(near)
                .coordinator(coordinator)
                .invalidationBus(redis.invalidationBus())
                .policy(
                        SportsKinds.PLAYER_STATS,
                        SportsPolicies.PLAYER_STATS.toBuilder()
                                .ttl(statsTtl)
                                .staleWhileRevalidate(statsTtl.dividedBy(10))
                                .build())
                .build();
        this.budget = new RecordingBudget(redis.upstreamBudgetBuilder(
                        "balldontlie", BudgetPlan.perMinute(Integer.parseInt(WorkerMain.option(options, "plan"))))
                .servers(Integer.parseInt(WorkerMain.option(options, "servers")))
                .build());
        BalldontlieClient client = BalldontlieClient.builder(
                        URI.create(WorkerMain.option(options, "upstream")), WorkerMain.option(options, "key"))
                .budget(budget)
                .nameSearch(true)
                .build();
        this.sports = new SportsStatsService(engine, new WatchedPort(client), Faults.SEASON);
        this.userThreads = Executors.newFixedThreadPool(users, new DaemonThreads("faults-user-"));
    }

    public static void main(String[] args) throws IOException {
        WorkerMain.run(args, FaultsProtocol.PREFIX, FaultsWorker::new);
    }

    @Override
    public boolean isQuit(String line) {
        return FaultsProtocol.parseCommand(line) instanceof FaultsProtocol.Quit;
    }

    @Override
    public List<String> carryOut(String line) {
        Command command = FaultsProtocol.parseCommand(line);
        if (command instanceof FaultsProtocol.Names names) {
            longTail = names.names();
            return List.of(FaultsProtocol.PREFIX + "names " + names.names().size());
        }
        if (command instanceof FaultsProtocol.Phase phase) {
            return List.of(FaultsProtocol.PREFIX + "phase-started " + begin(phase));
        }
        if (command instanceof FaultsProtocol.Stop) {
            return List.of(FaultsProtocol.PREFIX + "stopped " + stop());
        }
        return report();
    }

    private int begin(FaultsProtocol.Phase phase) {
        if (phase.index() != tallies.size() || countersAtStop != null) {
            throw new IllegalStateException("phase " + tallies.size() + " was due, not " + phase.index());
        }
        if (phase.mix() == Mix.MIXED && longTail.isEmpty()) {
            throw new IllegalStateException("no long-tail names were given");
        }
        countersAtStart.add(counters());
        Tally tally = new Tally(phase.index());
        tallies.add(tally);
        mix = phase.mix();
        current = tally;
        if (!running) {
            running = true;
            for (int user = 0; user < users; user++) {
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index * 10_007L + user);
                userThreads.execute(() -> ask(random));
            }
        }
        return phase.index();
    }

    /** One user: a pause, a question, its answer counted; until the users stop. */
    private void ask(SplittableRandom random) {
        while (running) {
            try {
                Thread.sleep(thinkMinMillis + random.nextLong(thinkMaxMillis - thinkMinMillis + 1));
            } catch (InterruptedException e) {
                return;
            }
            if (!running) {
                return;
            }
            Tally tally = current;
            boolean longTailQuestion = mix == Mix.MIXED && random.nextDouble() < longTailShare;
            inFlight.incrementAndGet();
            long started = System.nanoTime();
            String failure = null;
            Throwable error = null;
            try {
                if (longTailQuestion) {
                    askLongTail(random);
                } else {
                    askPopular(pairs.get(random.nextInt(pairs.size())));
                }
            } catch (RuntimeException e) {
                error = e;
                failure = failureType(e);
            } finally {
                long micros = (System.nanoTime() - started) / 1000;
                tally.record(!longTailQuestion, failure, micros);
                inFlight.decrementAndGet();
            }
            if (error != null) {
                logFailure(tally.phase, !longTailQuestion, failure, error);
            }
        }
    }

    private void askPopular(List<PopularPlayer> pair) {
        PopularPlayer first = pair.get(0);
        PopularPlayer second = pair.get(1);
        Comparison answer = sports.compare(first.fullName(), second.fullName());
        if (!answer.first().id().equals(first.id())
                || !answer.second().id().equals(second.id())
                || answer.firstStats().isEmpty()
                || answer.secondStats().isEmpty()) {
            throw new WrongAnswer(first.fullName() + " vs " + second.fullName() + " answered with " + answer);
        }
    }

    private void askLongTail(SplittableRandom random) {
        String first = nextLongTailName();
        if (random.nextBoolean()) {
            sports.seasonStats(first);
        } else {
            sports.compare(first, nextLongTailName());
        }
    }

    /** The next long-tail player: each once, until all have been asked about. */
    private String nextLongTailName() {
        List<String> names = longTail;
        return names.get(Math.floorMod(nextLongTail.getAndIncrement(), names.size()));
    }

    /** Stops the users and waits for the answers under way; returns how many did not come in time. */
    private int stop() {
        countersAtStop = counters();
        running = false;
        userThreads.shutdown();
        try {
            userThreads.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return inFlight.get();
    }

    private List<String> report() {
        if (countersAtStop == null) {
            throw new IllegalStateException("report before stop");
        }
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < tallies.size(); k++) {
            Counters from = countersAtStart.get(k);
            Counters to = k + 1 < countersAtStart.size() ? countersAtStart.get(k + 1) : countersAtStop;
            Tally tally = tallies.get(k);
            lines.add(FaultsProtocol.format(new PhaseReport(
                    k,
                    tally.popular.answers(),
                    tally.longTail.answers(),
                    to.engine.minus(from.engine),
                    to.budget.minus(from.budget),
                    to.coordinator.minus(from.coordinator),
                    to.writeBack.minus(from.writeBack))));
        }
        lines.add(FaultsProtocol.formatEvents(List.copyOf(events)));
        lines.add(FaultsProtocol.PREFIX + "reported " + tallies.size());
        return lines;
    }

    /** The counters a phase report subtracts, as they stand now. */
    private Counters counters() {
        CacheStatistics s = engine.stats();
        TieredCachePort.WriteBackStatistics w = near.writeBackStatistics();
        return new Counters(
                new EngineCounts(
                        s.requests(),
                        s.hits(),
                        s.staleServed(),
                        s.failSafeThrottled(),
                        s.loads(),
                        s.loadFailures(),
                        s.loadsAbandoned(),
                        s.backendErrors()),
                budget.statistics(),
                coordinator.statistics(),
                new WriteBack(w.written(), w.refusedAsOlder(), w.rounds()));
    }

    private record Counters(
            EngineCounts engine, BudgetStatistics budget, CoordinatorStatistics coordinator, WriteBack writeBack) {}

    @Override
    public void close() {
        running = false;
        userThreads.shutdownNow();
        engine.close();
    }

    /**
     * What a failed answer counts as: the provider's refusal or failure as the client typed it (a
     * {@code RateLimited} split by who refused: the budget without a permit, the client keeping the
     * quiet a 429 asked for, or the provider's 429), a load that took too long, a lookup error, or the
     * exception's own name.
     */
    static String failureType(Throwable failure) {
        if (failure instanceof WrongAnswer) {
            return "WrongAnswer";
        }
        if (failure instanceof PlayerLookupException lookup) {
            return "Lookup." + lookup.getClass().getSimpleName();
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UpstreamException.RateLimited limited) {
                String message = String.valueOf(limited.getMessage());
                if (message.contains("budget had no permit")) {
                    return "RateLimited/no-permit";
                }
                if (message.contains("asked for no requests")) {
                    return "RateLimited/quiet";
                }
                return "RateLimited/429";
            }
            if (cause instanceof UpstreamException.Unavailable unavailable) {
                String message = String.valueOf(unavailable.getMessage());
                if (message.contains("circuit breaker is open")) {
                    return "Unavailable/circuit-open";
                }
                if (message.contains("requests were already in flight")) {
                    return "Unavailable/bulkhead-full";
                }
                return "Unavailable";
            }
            if (cause instanceof UpstreamException upstream) {
                return upstream.getClass().getSimpleName();
            }
            if (cause instanceof RejectedExecutionException) {
                return "LoaderPoolFull";
            }
            if (cause instanceof CacheLoadTimeoutException) {
                return "LoadTimeout";
            }
        }
        if (failure instanceof CacheLoadException load && load.getCause() != null) {
            return "CacheLoadException(" + load.getCause().getClass().getSimpleName() + ")";
        }
        return failure.getClass().getSimpleName();
    }

    private void logFailure(int phase, boolean popular, String type, Throwable error) {
        String key = phase + (popular ? " popular " : " long-tail ") + type;
        int count = logged.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (count > LOGGED_FAILURES) {
            return;
        }
        StringBuilder chain = new StringBuilder(error.toString());
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            chain.append(" <- ").append(cause);
        }
        System.err.printf(
                "[faults worker %d] phase %d, %s question failed (%s, %d of its kind): %s%n",
                index, phase + 1, popular ? "POPULAR" : "long-tail", type, count, WorkerMain.oneLine(chain.toString()));
    }

    /** A popular comparison answered with the wrong players or without their stats. */
    static final class WrongAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongAnswer(String message) {
            super(message);
        }
    }

    /** The answers of one phase, by the sort of question. */
    private static final class Tally {
        final int phase;
        final Kind popular = new Kind();
        final Kind longTail = new Kind();

        Tally(int phase) {
            this.phase = phase;
        }

        void record(boolean isPopular, String failure, long micros) {
            Kind kind = isPopular ? popular : longTail;
            if (failure == null) {
                kind.ok.increment();
            } else {
                kind.failed.computeIfAbsent(failure, type -> new LongAdder()).increment();
            }
            if (micros > Answers.SLOW_MICROS) {
                kind.slow.increment();
            }
            kind.latency.record(micros);
        }

        static final class Kind {
            final LongAdder ok = new LongAdder();
            final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
            final LongAdder slow = new LongAdder();
            final LatencyHistogram latency = new LatencyHistogram();

            Answers answers() {
                return new Answers(
                        ok.sum(),
                        failed.entrySet().stream()
                                .collect(Collectors.toMap(
                                        Map.Entry::getKey, e -> e.getValue().sum())),
                        slow.sum(),
                        latency.snapshot());
            }
        }
    }

    /** What a call of the provider is for, while it runs on this thread. */
    private record Call(EventKind kind, List<String> items) {}

    /**
     * The provider as the service sees it, unchanged, noting on the calling thread what each call is
     * for, and when a call for popular items answered (those items are then loaded).
     */
    private final class WatchedPort implements SportsDataPort {
        private final SportsDataPort provider;

        WatchedPort(SportsDataPort provider) {
            this.provider = provider;
        }

        @Override
        public Set<Capability> capabilities() {
            return provider.capabilities();
        }

        @Override
        public List<Team> teams() {
            return during(new Call(EventKind.OTHER_REQUEST, List.of()), provider::teams);
        }

        @Override
        public Roster roster(String teamId, Season season) {
            return during(new Call(EventKind.OTHER_REQUEST, List.of()), () -> provider.roster(teamId, season));
        }

        @Override
        public List<Player> searchPlayers(String name) {
            String popular = popularIdBySearchWord.get(name);
            Call call = popular != null
                    ? new Call(EventKind.POPULAR_REQUEST, List.of("name-" + popular))
                    : new Call(EventKind.LONG_TAIL_REQUEST, List.of());
            return during(call, () -> provider.searchPlayers(name));
        }

        @Override
        public Optional<PlayerStats> seasonStats(String playerId, Season season) {
            return during(statsCall(List.of(playerId)), () -> provider.seasonStats(playerId, season));
        }

        @Override
        public Map<String, PlayerStats> seasonStats(Collection<String> playerIds, Season season) {
            return during(statsCall(playerIds), () -> provider.seasonStats(playerIds, season));
        }

        private Call statsCall(Collection<String> playerIds) {
            List<String> items = playerIds.stream()
                    .filter(popularIds::contains)
                    .sorted()
                    .map(id -> "stats-" + id)
                    .toList();
            return items.isEmpty()
                    ? new Call(EventKind.LONG_TAIL_REQUEST, List.of())
                    : new Call(EventKind.POPULAR_REQUEST, items);
        }

        private <T> T during(Call call, java.util.function.Supplier<T> request) {
            Call outer = CURRENT_CALL.get();
            CURRENT_CALL.set(call);
            try {
                T answer = request.get();
                if (call.kind() == EventKind.POPULAR_REQUEST) {
                    events.add(new UpstreamEvent(
                            index, EventKind.POPULAR_LOADED, System.currentTimeMillis(), call.items()));
                }
                return answer;
            } finally {
                if (outer == null) {
                    CURRENT_CALL.remove();
                } else {
                    CURRENT_CALL.set(outer);
                }
            }
        }
    }

    /**
     * The shared budget, unchanged, noting each permit it gives: the client sends one request right
     * after each permit and none without, so each is a request sent, for what the thread's current
     * call is for.
     */
    private final class RecordingBudget implements UpstreamBudget {
        private final UpstreamBudget shared;

        RecordingBudget(UpstreamBudget shared) {
            this.shared = shared;
        }

        @Override
        public boolean tryAcquire(Priority priority, Duration maxWait) {
            boolean permitted = shared.tryAcquire(priority, maxWait);
            if (permitted) {
                Call call = CURRENT_CALL.get();
                events.add(
                        call == null
                                ? new UpstreamEvent(
                                        index, EventKind.OTHER_REQUEST, System.currentTimeMillis(), List.of())
                                : new UpstreamEvent(index, call.kind(), System.currentTimeMillis(), call.items()));
            }
            return permitted;
        }

        @Override
        public BudgetPlan plan() {
            return shared.plan();
        }

        @Override
        public BudgetStatistics statistics() {
            return shared.statistics();
        }

        @Override
        public void close() {
            shared.close();
        }
    }
}
