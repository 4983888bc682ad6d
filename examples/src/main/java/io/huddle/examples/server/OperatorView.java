package io.huddle.examples.server;

import com.fasterxml.jackson.annotation.JsonValue;
import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.BusStatistics;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.examples.Backend;
import io.huddle.redis.RedisHuddle;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

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

        @JsonValue
        String json() {
            return name().toLowerCase(Locale.ROOT);
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
            long warmLoads,
            long prefetchesStarted,
            long prefetchesUsed,
            long prefetchesUnused,
            long skippedForBudget,
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
                    stats.warmLoads(),
                    stats.prefetchesStarted(),
                    stats.prefetchesUsed(),
                    stats.prefetchesUnused(),
                    stats.skippedForBudget(),
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

    /**
     * The cache's backup: the last snapshot's age and entries (null before the first), the writes
     * and failures so far, and what the start-up restore put back (null without a snapshot).
     */
    record SnapshotFigures(
            String file,
            Double ageSeconds,
            Long entries,
            long writes,
            long failures,
            Long restoredAtStart,
            String restoreFailure) {
        static SnapshotFigures of(Backup backup, Instant now) {
            var last = backup.schedule().lastWritten();
            return new SnapshotFigures(
                    backup.schedule().file().toString(),
                    last.map(written -> written.ageAt(now).toMillis() / 1000.0).orElse(null),
                    last.map(written -> written.entries()).orElse(null),
                    backup.schedule().writes(),
                    backup.schedule().failures(),
                    backup.restored()
                            .filter(restored -> restored.found())
                            .map(restored -> restored.restored())
                            .orElse(null),
                    backup.restoreFailure().orElse(null));
        }
    }

    /** The figures the dashboard draws; {@code snapshot} is null when backups are off. */
    record Stats(
            Instant at,
            String backend,
            KindFigures total,
            Map<String, KindFigures> kinds,
            UpstreamFigures upstream,
            CoordinatorStatistics coordinator,
            BusStatistics bus,
            SnapshotFigures snapshot,
            Health health) {}

    /** A part's state and what it says about itself. */
    record Part(State state, String detail) {
        static Part of(State state, String detail) {
            return new Part(state, detail);
        }
    }

    /**
     * The parts' states and the server's: down when the backend is down (answers fail), degraded
     * when any part is degraded or down (answers go on without it), else up.
     */
    record Health(State status, Part backend, Part redis, Part bus, Part coordinator, Part budget, Part upstream) {
        static Health of(Part backend, Part redis, Part bus, Part coordinator, Part budget, Part upstream) {
            boolean impaired = Stream.of(backend, redis, bus, coordinator, budget, upstream)
                    .anyMatch(part -> part.state() == State.DOWN || part.state() == State.DEGRADED);
            State status = backend.state() == State.DOWN ? State.DOWN : impaired ? State.DEGRADED : State.UP;
            return new Health(status, backend, redis, bus, coordinator, budget, upstream);
        }
    }

    private final ServerStack stack;
    private final InstantSource clock;
    private final LoadTimers loadTimes;
    private final UpstreamRate rate = new UpstreamRate();

    OperatorView(ServerStack stack, InstantSource clock, LoadTimers loadTimes) {
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
                perMinute(stack.budget().plan()),
                rate.lastMinute(),
                budget.userPermits(),
                budget.backgroundPermits(),
                budget.refused(),
                budget.fallbackPermits(),
                stack.client().isAcceptingRequests() ? "closed" : "open");
        return new Stats(
                clock.instant(),
                stack.backend().toString(),
                KindFigures.of(cache.stats(), loadTimes.slowestKind()),
                kinds,
                upstream,
                cache.coordinatorStatistics(),
                cache.busStatistics(),
                stack.backup()
                        .map(backup -> SnapshotFigures.of(backup, clock.instant()))
                        .orElse(null),
                health());
    }

    private static int perMinute(BudgetPlan plan) {
        return (int) Math.round(plan.requests() * 60_000.0 / plan.period().toMillis());
    }

    Health health() {
        Part upstream = stack.client().isAcceptingRequests()
                ? Part.of(State.UP, "circuit breaker closed")
                : Part.of(State.DOWN, "circuit breaker open: stale answers or errors until it closes");
        Optional<RedisHuddle> redis = stack.redis();
        if (redis.isEmpty()) {
            return Health.of(
                    Part.of(State.UP, stack.backend() + ", in this process"),
                    Part.of(State.OFF, "not used"),
                    Part.of(State.OFF, "one server: no bus"),
                    Part.of(State.UP, "single flight in this process"),
                    Part.of(State.UP, "the plan, in this process"),
                    upstream);
        }
        boolean near = stack.backend() == Backend.NEAR;
        if (redis.get().isReachable()) {
            return Health.of(
                    Part.of(State.UP, stack.backend().toString()),
                    Part.of(State.UP, "answers"),
                    near ? Part.of(State.UP, "subscribed") : Part.of(State.OFF, "no local tier to keep true"),
                    Part.of(State.UP, "leases in Redis: one load per key across servers"),
                    Part.of(State.UP, "one bucket in Redis for every server"),
                    upstream);
        }
        return Health.of(
                near
                        ? Part.of(State.DEGRADED, "Redis unreachable: answering from local copies")
                        : Part.of(State.DOWN, "Redis unreachable: every read is a miss"),
                Part.of(State.DOWN, "unreachable"),
                near
                        ? Part.of(State.DEGRADED, "Redis unreachable: local copies unverified")
                        : Part.of(State.OFF, "no local tier to keep true"),
                Part.of(State.DEGRADED, "Redis unreachable: single flight per server"),
                Part.of(State.DEGRADED, "Redis unreachable: this server's share of the plan"),
                upstream);
    }
}
