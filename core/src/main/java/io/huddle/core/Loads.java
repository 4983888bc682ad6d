package io.huddle.core;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CacheLoadTimeoutException;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.StatsCounter;
import io.huddle.core.internal.QuietLog;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.PermitRefusedException;
import io.huddle.core.spi.UpstreamBudget;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs loader calls for the keys their callers lead: on the loader executor for callers that wait,
 * on the refresh's own thread for background refreshes; each with its deadline, after which it is
 * abandoned. Stores the results and ends the claims. Thread-safe.
 */
final class Loads {
    private static final Logger log = LoggerFactory.getLogger(SharedCache.class);

    private final Backend backend;
    private final InstantSource clock;
    private final Executor loadExecutor;
    private final ScheduledExecutorService deadlines;
    private final FailSafeThrottle throttle;
    /** Failed background refreshes and abandoned loads, logged once per burst. */
    private final QuietLog failures = new QuietLog(log);

    Loads(
            Backend backend,
            InstantSource clock,
            Executor loadExecutor,
            ScheduledExecutorService deadlines,
            FailSafeThrottle throttle) {
        this.backend = backend;
        this.clock = clock;
        this.loadExecutor = loadExecutor;
        this.deadlines = deadlines;
        this.throttle = throttle;
    }

    /**
     * Runs one loader call for the leaders' ids on the loader executor, for callers that wait, with
     * the caller's priority: {@code USER} for a user, {@code BACKGROUND} for a caller that is itself
     * background work (a lookup inside a background load, or a warming pass).
     */
    <V> void start(DataKind<V> kind, KindState state, Map<String, LoadCoordinator.Claim> leaders, LoadCall<V> call) {
        if (!leaders.isEmpty()) {
            new LoadRun<>(kind, state, leaders, call, UpstreamBudget.Priority.current()).start(loadExecutor);
        }
    }

    /** Runs one loader call for the leaders' ids on this thread, as a background refresh. */
    <V> void runHere(DataKind<V> kind, KindState state, Map<String, LoadCoordinator.Claim> leaders, LoadCall<V> call) {
        new LoadRun<>(kind, state, leaders, call, UpstreamBudget.Priority.BACKGROUND).runHere();
    }

    /** A throwable's class and message, for log lines and load exceptions. */
    static String describe(Throwable cause) {
        return cause.getMessage() == null
                ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /**
     * One loader call for the leaders' ids. It ends once: with its result, or at the policy's maximum
     * load time, when it is abandoned: its claims fail with a typed timeout and its keys are free. A
     * result that comes after that is stored only where nothing newer was stored meanwhile.
     */
    private final class LoadRun<V> implements Runnable {
        private final DataKind<V> kind;
        private final KindState state;
        private final Map<String, LoadCoordinator.Claim> claims;
        private final LoadCall<V> call;
        private final UpstreamBudget.Priority priority;
        private final Instant startedAt = clock.instant();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile ScheduledFuture<?> deadline;

        LoadRun(
                DataKind<V> kind,
                KindState state,
                Map<String, LoadCoordinator.Claim> claims,
                LoadCall<V> call,
                UpstreamBudget.Priority priority) {
            this.kind = kind;
            this.state = state;
            this.claims = Map.copyOf(claims);
            this.call = call;
            this.priority = priority;
        }

        void start(Executor executor) {
            armDeadline();
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                if (end()) {
                    RejectedExecutionException full = new RejectedExecutionException(
                            "no loader thread was free to load " + kind + " " + claims.keySet());
                    claims.values().forEach(claim -> claim.fail(full));
                }
            }
        }

        void runHere() {
            armDeadline();
            run();
        }

        private void armDeadline() {
            try {
                deadline = deadlines.schedule(
                        this::abandon, state.policy.maxLoadTime().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                // the cache is closing: the load runs without a deadline, as its callers are going too
            }
        }

        @Override
        public void run() {
            StatsCounter stats = state.stats;
            stats.recordLoadStarted();
            long began = System.nanoTime();
            Map<String, Loaded<V>> loaded;
            try {
                loaded = priority.callAs(() -> call.load(new LinkedHashSet<>(claims.keySet())));
                for (Loaded<V> each : loaded.values()) {
                    V value = each.rawValue();
                    if (value != null && !kind.valueType().isInstance(value)) {
                        throw new IllegalStateException("the loader of kind '" + kind + "' returned a "
                                + value.getClass().getName() + ", not a "
                                + kind.valueType().getName());
                    }
                }
            } catch (Exception | Error e) {
                if (priority == UpstreamBudget.Priority.BACKGROUND && PermitRefusedException.isIn(e)) {
                    refusedForBudget(e);
                    return;
                }
                if (priority == UpstreamBudget.Priority.BACKGROUND) {
                    failures.warn("background refresh of {} {} failed: {}", kind, claims.keySet(), describe(e));
                }
                // counted after the log line: whoever sees the count can find the line
                stats.recordLoadFailure(System.nanoTime() - began);
                if (end()) {
                    Instant now = clock.instant();
                    claims.forEach((id, claim) -> {
                        throttle.failed(new CacheKey(kind, id), now, state.policy.failSafeThrottle());
                        claim.fail(e);
                    });
                }
                if (e instanceof Error error) {
                    throw error;
                }
                return;
            }
            long upstreamCalls = 0;
            for (String id : claims.keySet()) {
                upstreamCalls += loaded.get(id).calls();
            }
            // counted before any claim completes: a caller that has its value sees the calls counted
            stats.recordLoadSuccess(System.nanoTime() - began, upstreamCalls);
            Instant now = clock.instant();
            boolean inTime = end();
            long freshMillis = state.entries.freshMillis();
            for (Map.Entry<String, LoadCoordinator.Claim> each : claims.entrySet()) {
                CacheKey key = new CacheKey(kind, each.getKey());
                Loaded<V> result = loaded.get(each.getKey());
                if (inTime) {
                    CacheEntry<V> entry = state.entries.entryFor(result, now, freshMillis);
                    backend.write(key, entry, stats, now, each.getValue().fence());
                    throttle.succeeded(key);
                    each.getValue().complete(entry);
                } else {
                    // dated when the load began: anything stored since is at least as new
                    backend.writeIfNewer(key, state.entries.entryFor(result, startedAt, freshMillis), stats, now);
                }
            }
        }

        /**
         * The budget refused this background load a permit: nothing was sent and nothing failed, so
         * no failure is counted or logged and no throttle armed; the claims end with the refusal, and
         * a user waiting on one claims the key again at its own priority ({@code Flights.await}).
         */
        private void refusedForBudget(Throwable refusal) {
            state.stats.recordSkippedForBudget();
            if (end()) {
                claims.forEach((id, claim) -> {
                    state.prefetched.forget(id);
                    claim.fail(refusal);
                });
            }
        }

        /** Whether this call ended the run (its result or its deadline, whichever came first). */
        private boolean end() {
            if (!ended.compareAndSet(false, true)) {
                return false;
            }
            ScheduledFuture<?> timer = deadline;
            if (timer != null) {
                timer.cancel(false);
            }
            return true;
        }

        private void abandon() {
            if (!end()) {
                return;
            }
            state.stats.recordLoadAbandoned();
            Duration maxLoadTime = state.policy.maxLoadTime();
            failures.warn(
                    "the load of {} {} ran past its maximum load time of {} and was abandoned",
                    kind,
                    claims.keySet(),
                    maxLoadTime);
            Instant now = clock.instant();
            claims.forEach((id, claim) -> {
                CacheKey key = new CacheKey(kind, id);
                throttle.failed(key, now, state.policy.failSafeThrottle());
                claim.fail(CacheLoadTimeoutException.abandoned(key, maxLoadTime));
            });
        }
    }
}
