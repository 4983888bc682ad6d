package io.huddle.core.ahead;

import io.huddle.core.api.AheadResult;
import io.huddle.core.internal.Arguments;
import io.huddle.core.internal.DaemonThreads;
import io.huddle.core.internal.QuietLog;
import io.huddle.core.spi.PermitRefusedException;
import io.huddle.core.spi.UpstreamBudget;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work ahead of users, over an application's keys: warming and predictive prefetch.
 *
 * <ul>
 *   <li><b>Warming</b>: each pass ({@link #runOnce()}; after {@link #start()}, at once and then every
 *       {@code every}) warms the configured popular keys and the most requested keys of the recent
 *       window ({@link TopKeys}), each refreshed once its time left is within {@code refreshAhead}
 *       of its ttl, so that popular answers never miss.
 *   <li><b>Prefetch</b>: each request the application reports ({@link #requested}, {@link
 *       #requestedTogether}) teaches the {@link RelatedKeys} and the {@link TopKeys}, and hands one
 *       prefetch round of the key's most related keys to a bounded executor; a round it rejects is
 *       skipped and counted. The reporting thread (a user's) does nothing else.
 * </ul>
 *
 * <p>Every call of the {@link AheadTarget} runs with {@link UpstreamBudget.Priority#BACKGROUND}, off
 * the users' threads: the engine loads at background priority, which never waits for a permit and
 * never takes the plan's reserve. With a shared load coordinator the fleet loads each key once: a
 * server that finds another's lease does nothing. What the engine did is counted in each kind's
 * statistics; what this class did in {@link #counts()}. Thread-safe.
 */
public final class LoadAhead<K> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoadAhead.class);

    private final AheadTarget<K> target;
    private final List<K> popular;
    private final TopKeys<K> topKeys;
    private final int topCount;
    private final RelatedKeys<K> related;
    private final Function<K, List<K>> neighbours;
    private final int prefetchPerRequest;
    private final double refreshAhead;
    private final Duration every;
    private final Executor prefetches;
    private final ThreadPoolExecutor ownPrefetches;
    private final QuietLog failures = new QuietLog(log);
    private final AtomicLong warmPasses = new AtomicLong();
    private final AtomicLong prefetchRounds = new AtomicLong();
    private final AtomicLong roundsSkipped = new AtomicLong();
    private final AtomicLong targetFailures = new AtomicLong();
    private final AtomicLong skippedForBudget = new AtomicLong();
    private ScheduledExecutorService scheduler;
    private volatile boolean closed;

    private LoadAhead(Builder<K> builder) {
        this.target = builder.target;
        this.popular = List.copyOf(builder.popular);
        this.topKeys = builder.topKeys != null
                ? builder.topKeys
                : new TopKeys<>(Math.max(64, builder.topCount * 8), Duration.ofMinutes(10), builder.clock);
        this.topCount = builder.topCount;
        this.related = builder.related != null
                ? builder.related
                : RelatedKeys.<K>builder(builder.clock).build();
        this.neighbours = builder.neighbours;
        this.prefetchPerRequest = builder.prefetchPerRequest;
        this.refreshAhead = builder.refreshAhead;
        this.every = builder.every;
        if (builder.executor != null) {
            this.prefetches = builder.executor;
            this.ownPrefetches = null;
        } else {
            this.ownPrefetches = new ThreadPoolExecutor(
                    1,
                    1,
                    1,
                    TimeUnit.MINUTES,
                    new ArrayBlockingQueue<>(builder.queue),
                    DaemonThreads.named("huddle-prefetch"));
            ownPrefetches.allowCoreThreadTimeOut(true);
            this.prefetches = ownPrefetches;
        }
    }

    /**
     * A builder over the target. Defaults: the system clock, no popular keys, the 20 most requested
     * keys of a 10-minute window (over the previous one too), a learnt relation without seed
     * ({@link RelatedKeys} defaults), 3 keys prefetched per request, refresh-ahead within 20% of the
     * ttl, a warming pass every 5 seconds, one daemon prefetch thread with a queue of 64 rounds.
     */
    public static <K> Builder<K> builder(AheadTarget<K> target) {
        return new Builder<>(target);
    }

    /** A user asked for the key (no session known): counted among the most requested, then prefetched around. */
    public void requested(K key) {
        Objects.requireNonNull(key, "key");
        topKeys.add(key);
        prefetchAround(List.of(key));
    }

    /** A user of the session asked for the key: as {@link #requested(Object)}, and the session's step learnt. */
    public void requested(K key, String session) {
        Objects.requireNonNull(key, "key");
        if (session != null) {
            related.asked(session, key);
        }
        requested(key);
    }

    /**
     * A user asked for the two keys together (a comparison), in the session if one is known (may be
     * null): both counted, the pair learnt, and the keys related to either prefetched.
     */
    public void requestedTogether(K first, K second, String session) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        topKeys.add(first);
        topKeys.add(second);
        related.together(first, second);
        if (session != null) {
            related.asked(session, first);
            related.asked(session, second);
        }
        prefetchAround(List.of(first, second));
    }

    /** The keys a warming pass warms now: the popular ones, then the most requested. */
    public List<K> warmKeys() {
        Set<K> keys = new LinkedHashSet<>(popular);
        keys.addAll(topKeys.top(topCount));
        return List.copyOf(keys);
    }

    /**
     * One warming pass on this thread, at background priority: warms every key of {@link
     * #warmKeys()}; a key whose target call throws is counted and the pass goes on.
     *
     * @return how many keys ended with each result
     */
    public Map<AheadResult, Integer> runOnce() {
        Map<AheadResult, Integer> results = new EnumMap<>(AheadResult.class);
        for (K key : warmKeys()) {
            AheadResult result = background(() -> target.warm(key, refreshAhead), "warm", key);
            if (result != null) {
                results.merge(result, 1, Integer::sum);
            }
        }
        warmPasses.incrementAndGet();
        return results;
    }

    /**
     * Starts warming: a pass at once, then one every {@code every}, on a daemon thread of its own.
     * Prefetch needs no start. Idempotent.
     *
     * @throws IllegalStateException if closed
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("this LoadAhead is closed");
        }
        if (scheduler != null) {
            return;
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("huddle-warming"));
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer.scheduleWithFixedDelay(this::runOnceQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        scheduler = timer;
    }

    /** What this has done so far; the loads themselves are counted in each kind's statistics. */
    public Counts counts() {
        return new Counts(
                warmPasses.get(),
                prefetchRounds.get(),
                roundsSkipped.get(),
                targetFailures.get(),
                skippedForBudget.get());
    }

    /**
     * What a {@link LoadAhead} did.
     *
     * @param warmPasses warming passes run
     * @param prefetchRounds prefetch rounds run (one per request reported with related keys)
     * @param prefetchRoundsSkipped prefetch rounds not run because the prefetch executor was full
     * @param targetFailures target calls that threw for another reason than the budget
     * @param skippedForBudget target calls that threw because the budget refused a background permit
     *     (a lookup the target waited on; the engine counts its loads refused in each kind's {@code
     *     skippedForBudget} too)
     */
    public record Counts(
            long warmPasses,
            long prefetchRounds,
            long prefetchRoundsSkipped,
            long targetFailures,
            long skippedForBudget) {}

    /** Stops warming and the prefetch thread it made; rounds queued are dropped. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (ownPrefetches != null) {
            ownPrefetches.shutdownNow();
        }
    }

    private void runOnceQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            failures.warn("a warming pass failed: {}", e.toString());
        }
    }

    private void prefetchAround(List<K> asked) {
        if (closed) {
            return;
        }
        Set<K> keys = new LinkedHashSet<>();
        for (K key : asked) {
            keys.addAll(related.related(key, prefetchPerRequest));
        }
        asked.forEach(keys::remove);
        if (keys.isEmpty() && neighbours == null) {
            return;
        }
        List<K> learnt = new ArrayList<>(keys);
        try {
            prefetches.execute(() -> {
                prefetchRounds.incrementAndGet();
                Set<K> round = new LinkedHashSet<>(learnt);
                if (neighbours != null) {
                    asked.forEach(key -> round.addAll(mostRequestedNeighbours(key)));
                }
                asked.forEach(round::remove);
                for (K key : round) {
                    background(() -> target.prefetch(key), "prefetch", key);
                }
            });
        } catch (RejectedExecutionException full) {
            roundsSkipped.incrementAndGet();
        }
    }

    /**
     * The application's neighbours of the key, asked at background priority on the prefetch thread,
     * the most requested of the recent window first, the relation's order among equals; none if the
     * call failed (counted).
     */
    private List<K> mostRequestedNeighbours(K key) {
        List<K> known = background(() -> neighbours.apply(key), "find the neighbours of", key);
        if (known == null || known.isEmpty()) {
            return List.of();
        }
        Map<K, Long> requests = topKeys.counts(known);
        List<K> ranked = new ArrayList<>(new LinkedHashSet<>(known));
        ranked.remove(key);
        // stable: among keys requested as often, the relation's order stands
        ranked.sort(Comparator.comparingLong((K each) -> requests.getOrDefault(each, 0L))
                .reversed());
        return ranked;
    }

    /** The call at background priority; null, counted and logged once per burst, if it threw. */
    private <T> T background(Callable<T> call, String what, K key) {
        try {
            return UpstreamBudget.Priority.BACKGROUND.callAs(call);
        } catch (Exception e) {
            if (PermitRefusedException.isIn(e)) {
                // no failure: the budget keeps its reserve for users; the engine counted it
                skippedForBudget.incrementAndGet();
                return null;
            }
            targetFailures.incrementAndGet();
            failures.warn("could not {} {}: {}", what, key, e.toString());
            return null;
        }
    }

    /** Builds a {@link LoadAhead}; every setter checks its value at once. Not thread-safe. */
    public static final class Builder<K> {
        private final AheadTarget<K> target;
        private InstantSource clock = InstantSource.system();
        private List<K> popular = List.of();
        private TopKeys<K> topKeys;
        private int topCount = 20;
        private RelatedKeys<K> related;
        private Function<K, List<K>> neighbours;
        private int prefetchPerRequest = 3;
        private double refreshAhead = 0.2;
        private Duration every = Duration.ofSeconds(5);
        private Executor executor;
        private int queue = 64;

        private Builder(AheadTarget<K> target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        /** The clock of the default sketch and relation; inject a {@code ManualClock} in tests. */
        public Builder<K> clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Keys every warming pass warms, whether asked for or not. */
        public Builder<K> popular(List<K> keys) {
            this.popular = List.copyOf(keys);
            return this;
        }

        /** The sketch of the most requested keys, instead of the default one. */
        public Builder<K> topKeys(TopKeys<K> sketch) {
            this.topKeys = Objects.requireNonNull(sketch, "sketch");
            return this;
        }

        /** How many of the most requested keys each warming pass warms; zero for none. */
        public Builder<K> topCount(int count) {
            this.topCount = Arguments.notNegative("topCount", count);
            return this;
        }

        /** The relation prefetch follows, instead of the default one (learnt only, no seed). */
        public Builder<K> related(RelatedKeys<K> relation) {
            this.related = Objects.requireNonNull(relation, "relation");
            return this;
        }

        /**
         * The keys the application knows to be related to a key, whether users showed it or not
         * (a player's teammates at his position, say): asked on the prefetch thread at background
         * priority, so it may read through the cache; all its keys are prefetched too, after the
         * learnt ones, the most requested in the recent window first (the relation bounds how
         * many). None by default.
         */
        public Builder<K> neighbours(Function<K, List<K>> relation) {
            this.neighbours = Objects.requireNonNull(relation, "relation");
            return this;
        }

        /** The most related keys of the learnt relation (and its seed) prefetched for each key asked for. */
        public Builder<K> prefetchPerRequest(int keys) {
            this.prefetchPerRequest = Arguments.positive("prefetchPerRequest", keys);
            return this;
        }

        /** The fraction of the ttl, in {@code [0, 1]}, within which warming refreshes a fresh entry. */
        public Builder<K> refreshAhead(double fraction) {
            if (!(fraction >= 0.0 && fraction <= 1.0)) {
                throw new IllegalArgumentException("refreshAhead must be in [0, 1], was " + fraction);
            }
            this.refreshAhead = fraction;
            return this;
        }

        /** The time between warming passes after {@link LoadAhead#start()}. */
        public Builder<K> every(Duration period) {
            Arguments.positive("every", period);
            if (period.toMillis() == 0) {
                throw new IllegalArgumentException("every must be at least a millisecond, was " + period);
            }
            this.every = period;
            return this;
        }

        /**
         * Where prefetch rounds run instead of the default thread (a bounded one: a round it rejects
         * is skipped); the caller owns it. {@code Runnable::run} runs them on the reporting thread,
         * for tests.
         */
        public Builder<K> executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The prefetch rounds the default thread queues before it skips more. */
        public Builder<K> queue(int rounds) {
            this.queue = Arguments.positive("queue", rounds);
            return this;
        }

        /** The work ahead of users, not started. */
        public LoadAhead<K> build() {
            return new LoadAhead<>(this);
        }
    }
}
