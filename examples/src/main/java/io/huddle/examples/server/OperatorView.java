package io.huddle.examples.server;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.BusStatistics;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.redis.RedisHuddle;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator of the shared cache sees: the figures of {@code /api/stats} (read by the
 * dashboard) and the parts' states of {@code /health}. Reads the engine's, the budget's, the
 * coordinator's and the bus's snapshots; never changes anything.
 */
final class OperatorView {
    /** A part's state. */
    enum State {
        /** Working. */
        UP,
        /** Not working, but the server answers without it (from local copies, its share of the plan). */
        DEGRADED,
        /** Not working: answers that need it fail. */
        DOWN,
        /** Not used by this server's setup. */
        OFF;

        String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One kind's figures, or all kinds' together. */
    record KindFigures(
            long requests,
            long hits,
            long negativeHits,
            long stale,
            long coalesced,
            long misses,
            long loads,
            long loadFailures,
            long upstreamCalls,
            long upstreamCallsSaved,
            long backendErrors,
            long failSafeThrottled,
            long loadsAbandoned,
            long entries,
            long evictions,
            long unreadable,
            double hitRate,
            double upstreamAvoidanceRate,
            LoadTimes loadTimeMillis) {
        static KindFigures of(CacheStatistics stats, LoadTimes loadTimes) {
            return new KindFigures(
                    stats.requests(),
                    stats.hits(),
                    stats.negativeHits(),
                    stats.staleServed(),
                    stats.coalescedWaits(),
                    stats.misses(),
                    stats.loads(),
                    stats.loadFailures(),
                    stats.upstreamCalls(),
                    stats.upstreamCallsSaved(),
                    stats.backendErrors(),
                    stats.failSafeThrottled(),
                    stats.loadsAbandoned(),
                    stats.entries(),
                    stats.evictions(),
                    stats.unreadable(),
                    stats.hitRate(),
                    stats.upstreamAvoidanceRate(),
                    loadTimes);
        }
    }

    /** Load-time percentiles in milliseconds; null where no load was timed. */
    record LoadTimes(Double p50, Double p95, Double p99) {
        static final LoadTimes NONE = new LoadTimes(null, null, null);
    }

    /** The upstream: its plan, what was sent in the last minute, the budget's permits, the breaker. */
    record UpstreamFigures(
            int planPerMinute,
            long requestsLastMinute,
            long userPermits,
            long backgroundPermits,
            long refused,
            long fallbackPermits,
            String breaker) {}

    /** The figures the dashboard draws. */
    record Stats(
            Instant at,
            String backend,
            KindFigures total,
            Map<String, KindFigures> kinds,
            UpstreamFigures upstream,
            CoordinatorStatistics coordinator,
            BusStatistics bus,
            Health health) {}

    /** A part's state and what it says about itself. */
    record Part(String state, String detail) {}

    /** The parts' states; the worst of them is the server's. */
    record Health(String status, Part backend, Part redis, Part bus, Part coordinator, Part budget, Part upstream) {}

    /** Load-time percentiles by kind name. */
    interface LoadTimeSource {
        LoadTimes of(String kind);

        LoadTimes total();
    }

    private final ServerStack stack;
    private final InstantSource clock;
    private final LoadTimeSource loadTimes;
    private final UpstreamRate rate = new UpstreamRate();

    OperatorView(ServerStack stack, InstantSource clock, LoadTimeSource loadTimes) {
        this.stack = Objects.requireNonNull(stack, "stack");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loadTimes = Objects.requireNonNull(loadTimes, "loadTimes");
        sample();
    }

    /** Takes the budget's count for the requests-per-minute figure; called every second. */
    void sample() {
        rate.sample(clock.instant(), stack.budget().statistics().permits());
    }

    Stats stats() {
        sample();
        SharedCache cache = stack.cache();
        Map<String, KindFigures> kinds = new LinkedHashMap<>();
        cache.statsByKind().forEach((kind, stats) -> kinds.put(kind, KindFigures.of(stats, loadTimes.of(kind))));
        BudgetStatistics budget = stack.budget().statistics();
        UpstreamFigures upstream = new UpstreamFigures(
                (int) Math.round(stack.plan().requests()
                        * 60_000.0
                        / stack.plan().period().toMillis()),
                rate.lastMinute(),
                budget.userPermits(),
                budget.backgroundPermits(),
                budget.refused(),
                budget.fallbackPermits(),
                stack.client().isAcceptingRequests() ? "closed" : "open");
        return new Stats(
                clock.instant(),
                stack.backend().toString(),
                KindFigures.of(cache.stats(), loadTimes.total()),
                kinds,
                upstream,
                cache.coordinatorStatistics(),
                cache.busStatistics(),
                health());
    }

    Health health() {
        Optional<RedisHuddle> redis = stack.redis();
        boolean redisUp = redis.map(RedisHuddle::isReachable).orElse(false);
        boolean near = stack.backend() == io.huddle.examples.Backend.NEAR;
        Part backend;
        Part redisPart;
        Part bus;
        Part coordinator;
        Part budget;
        if (redis.isEmpty()) {
            backend = new Part(State.UP.json(), stack.backend() + ", in this process");
            redisPart = new Part(State.OFF.json(), "not used");
            bus = new Part(State.OFF.json(), "one server: no bus");
            coordinator = new Part(State.UP.json(), "single flight in this process");
            budget = new Part(State.UP.json(), "the plan, in this process");
        } else {
            redisPart = redisUp ? new Part(State.UP.json(), "answers") : new Part(State.DOWN.json(), "unreachable");
            backend = redisUp
                    ? new Part(State.UP.json(), stack.backend().toString())
                    : near
                            ? new Part(State.DEGRADED.json(), "Redis unreachable: answering from local copies")
                            : new Part(State.DOWN.json(), "Redis unreachable: every read is a miss");
            bus = !near
                    ? new Part(State.OFF.json(), "no local tier to keep true")
                    : redisUp
                            ? new Part(State.UP.json(), "subscribed")
                            : new Part(State.DEGRADED.json(), "Redis unreachable: local copies unverified");
            coordinator = redisUp
                    ? new Part(State.UP.json(), "leases in Redis: one load per key across servers")
                    : new Part(State.DEGRADED.json(), "Redis unreachable: single flight per server");
            budget = redisUp
                    ? new Part(State.UP.json(), "one bucket in Redis for every server")
                    : new Part(State.DEGRADED.json(), "Redis unreachable: this server's share of the plan");
        }
        Part upstream = stack.client().isAcceptingRequests()
                ? new Part(State.UP.json(), "circuit breaker closed")
                : new Part(State.DOWN.json(), "circuit breaker open: stale answers or errors until it closes");
        String status = backend.state().equals(State.DOWN.json())
                ? State.DOWN.json()
                : java.util.stream.Stream.of(backend, redisPart, bus, coordinator, budget, upstream)
                                .anyMatch(part -> part.state().equals(State.DOWN.json())
                                        || part.state().equals(State.DEGRADED.json()))
                        ? State.DEGRADED.json()
                        : State.UP.json();
        return new Health(status, backend, redisPart, bus, coordinator, budget, upstream);
    }
}
