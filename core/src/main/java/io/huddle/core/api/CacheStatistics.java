package io.huddle.core.api;

import java.time.Duration;
import java.util.Arrays;

/**
 * An immutable snapshot of what the engine did, for one kind or for all of them.
 *
 * <p>Every request (one key of a {@code get}, each key of a {@code getAll}) is counted once in
 * {@link #requests()} and, when it ends with an answer or an error, exactly once in one of {@link
 * #hits()}, {@link #negativeHits()}, {@link #staleServed()}, {@link #coalescedWaits()} and {@link
 * #misses()}, so those five add up to the requests that have ended.
 *
 * <p>Build one with {@link #builder()}: counters not set are zero, so code that builds snapshots
 * keeps compiling when a counter is added. Two snapshots are equal when every counter is. Every
 * counter is zero or more.
 */
public final class CacheStatistics {
    /** The counters, in the order of {@link #values}; each accessor below says what it counts. */
    private enum Counter {
        REQUESTS,
        HITS,
        NEGATIVE_HITS,
        STALE_SERVED,
        COALESCED_WAITS,
        MISSES,
        LOADS,
        LOAD_FAILURES,
        UPSTREAM_CALLS,
        UPSTREAM_CALLS_SAVED,
        BACKEND_ERRORS,
        FAIL_SAFE_THROTTLED,
        REFRESHES_SKIPPED,
        LOADS_ABANDONED,
        WARM_LOADS,
        PREFETCHES_STARTED,
        PREFETCHES_USED,
        PREFETCHES_UNUSED,
        AHEAD_SKIPPED_FULL,
        AHEAD_SWITCHED_OFF,
        SKIPPED_FOR_BUDGET,
        TOTAL_LOAD_TIME_NANOS,
        ENTRIES,
        EVICTIONS,
        UNREADABLE;

        private static final Counter[] ALL = values();
    }

    /** All counters zero. */
    public static final CacheStatistics EMPTY = new CacheStatistics(new long[Counter.ALL.length]);

    private final long[] values;

    private CacheStatistics(long[] values) {
        this.values = values;
    }

    /** A builder with every counter zero. */
    public static Builder builder() {
        return new Builder(new long[Counter.ALL.length]);
    }

    /** A builder starting from this snapshot's counters. */
    public Builder toBuilder() {
        return new Builder(values.clone());
    }

    private long get(Counter counter) {
        return values[counter.ordinal()];
    }

    /** Keys asked for. */
    public long requests() {
        return get(Counter.REQUESTS);
    }

    /** Requests answered with a fresh value from the cache. */
    public long hits() {
        return get(Counter.HITS);
    }

    /** Requests answered "not found" from a fresh not-found entry. */
    public long negativeHits() {
        return get(Counter.NEGATIVE_HITS);
    }

    /**
     * Requests answered with an expired value: while a background refresh runs
     * (stale-while-revalidate), or because a load failed, timed out or was throttled (stale-if-error).
     */
    public long staleServed() {
        return get(Counter.STALE_SERVED);
    }

    /**
     * Requests that found nothing usable and waited for a load another request had started, ending
     * with its value or its error.
     */
    public long coalescedWaits() {
        return get(Counter.COALESCED_WAITS);
    }

    /**
     * Requests that found nothing usable and started a load themselves, ending with its value or its
     * error.
     */
    public long misses() {
        return get(Counter.MISSES);
    }

    /** Loader calls started: one per single get, background refresh or bulk load. */
    public long loads() {
        return get(Counter.LOADS);
    }

    /** Loader calls that threw, or returned nothing. */
    public long loadFailures() {
        return get(Counter.LOAD_FAILURES);
    }

    /**
     * Upstream calls made by loader calls that succeeded: the sum of their {@link Loaded#calls()} (a
     * {@link Loaded#derived derived} value's loader makes none of its own).
     */
    public long upstreamCalls() {
        return get(Counter.UPSTREAM_CALLS);
    }

    /**
     * The sum of the costs of the entries that answered requests without a load of their own: hits,
     * negative hits, stale served and successful coalesced waits.
     */
    public long upstreamCallsSaved() {
        return get(Counter.UPSTREAM_CALLS_SAVED);
    }

    /** Calls to the backend that failed (each was treated as a miss or skipped). */
    public long backendErrors() {
        return get(Counter.BACKEND_ERRORS);
    }

    /**
     * Requests that found their key's last load failed within the policy's fail-safe throttle and so
     * made no new attempt: answered stale (and counted in staleServed too), or served stale under
     * stale-while-revalidate without starting a refresh.
     */
    public long failSafeThrottled() {
        return get(Counter.FAIL_SAFE_THROTTLED);
    }

    /**
     * Background refreshes not started because the background executor was full; the stale value was
     * served all the same, and a later request tries again.
     */
    public long refreshesSkipped() {
        return get(Counter.REFRESHES_SKIPPED);
    }

    /**
     * Loads that ran past the policy's maximum load time: their waiters were answered (stale or a
     * timeout) and the key freed without waiting for them.
     */
    public long loadsAbandoned() {
        return get(Counter.LOADS_ABANDONED);
    }

    /**
     * Loads ahead of users run by warming: {@code SharedCache.warm} found the key absent, expired or
     * within its refresh-ahead margin, and its loader, on the background executor, returned. A load
     * the budget refused ({@link #skippedForBudget()}), or that found another server's lease or the
     * key already loaded when it ran, is not counted; nor is one whose loader threw.
     */
    public long warmLoads() {
        return get(Counter.WARM_LOADS);
    }

    /**
     * Prefetches started: {@code SharedCache.prefetch} found the key absent or expired and handed its
     * load to the background executor. Each is later counted once in {@link #prefetchesUsed()} or
     * {@link #prefetchesUnused()}, unless the budget refused it ({@link #skippedForBudget()}).
     */
    public long prefetchesStarted() {
        return get(Counter.PREFETCHES_STARTED);
    }

    /**
     * Prefetched keys a request then found fresh in the cache (a hit), within the kind's ttl after
     * the prefetch started, counted at that first hit.
     */
    public long prefetchesUsed() {
        return get(Counter.PREFETCHES_USED);
    }

    /**
     * Prefetched keys no request found fresh within the kind's ttl after the prefetch started,
     * counted when the engine next looks (at a later prefetch of the kind) or when the bounded record
     * of recent prefetches dropped them for room.
     */
    public long prefetchesUnused() {
        return get(Counter.PREFETCHES_UNUSED);
    }

    /**
     * Warm loads and prefetches not started because the background executor was full; the next
     * warming pass or request tries again.
     */
    public long aheadSkippedFull() {
        return get(Counter.AHEAD_SKIPPED_FULL);
    }

    /** Warm loads and prefetches not started because the kind's policy switches them off. */
    public long aheadSwitchedOff() {
        return get(Counter.AHEAD_SWITCHED_OFF);
    }

    /**
     * Background loads (refreshes, warm loads, prefetches) that ended because the upstream budget
     * refused them a permit, above its reserve, at background priority: nothing was sent, no failure
     * was counted, no fail-safe throttle armed; a caller waiting on such a load claims the key again
     * and loads it at its own priority.
     */
    public long skippedForBudget() {
        return get(Counter.SKIPPED_FOR_BUDGET);
    }

    /** The time loader calls took until they returned or threw, in all, in nanoseconds. */
    public long totalLoadTimeNanos() {
        return get(Counter.TOTAL_LOAD_TIME_NANOS);
    }

    /** Entries the backend holds now (zero for a backend that cannot count them). */
    public long entries() {
        return get(Counter.ENTRIES);
    }

    /** Entries the backend removed for size or expiry. */
    public long evictions() {
        return get(Counter.EVICTIONS);
    }

    /**
     * Reads that found an entry the backend could not decode (corrupt, or written with another schema
     * version); each was read as a miss, and the next load replaces the entry. A load's leader reads
     * the key once more before loading, so one corrupt entry met by one request usually counts twice.
     */
    public long unreadable() {
        return get(Counter.UNREADABLE);
    }

    /**
     * The share of requests answered at once from the cache, without waiting for any load: (hits +
     * negative hits + stale served) / requests; 1.0 when there were no requests, as in Caffeine.
     */
    public double hitRate() {
        long requests = requests();
        return requests == 0 ? 1.0 : (double) (hits() + negativeHits() + staleServed()) / requests;
    }

    /**
     * The share of requests that cost the upstream nothing of their own: everything but misses, over
     * requests; 1.0 when there were no requests.
     */
    public double upstreamAvoidanceRate() {
        long requests = requests();
        return requests == 0 ? 1.0 : (double) (requests - misses()) / requests;
    }

    /**
     * The mean time of a loader call: {@link #totalLoadTimeNanos()} / {@link #loads()}; zero without
     * loads. A load still running is counted in loads but not yet in the time.
     */
    public Duration averageLoadPenalty() {
        long loads = loads();
        return loads == 0 ? Duration.ZERO : Duration.ofNanos(totalLoadTimeNanos() / loads);
    }

    /** The counter-wise sum of this and {@code other}. */
    public CacheStatistics plus(CacheStatistics other) {
        long[] sum = new long[values.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = saturatedAdd(values[i], other.values[i]);
        }
        return new CacheStatistics(sum);
    }

    /**
     * The counter-wise difference, floored at zero, to measure what happened between two snapshots.
     * Entries are a level, not a count: the result keeps this snapshot's.
     */
    public CacheStatistics minus(CacheStatistics earlier) {
        long[] difference = new long[values.length];
        for (int i = 0; i < difference.length; i++) {
            difference[i] = Math.max(0, values[i] - earlier.values[i]);
        }
        difference[Counter.ENTRIES.ordinal()] = entries();
        return new CacheStatistics(difference);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheStatistics that && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("CacheStatistics[");
        for (Counter counter : Counter.ALL) {
            if (counter.ordinal() > 0) {
                text.append(", ");
            }
            text.append(camelCase(counter.name())).append('=').append(values[counter.ordinal()]);
        }
        return text.append(']').toString();
    }

    private static String camelCase(String constant) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : constant.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? c : Character.toLowerCase(c));
                upper = false;
            }
        }
        return name.toString();
    }

    /**
     * Builds a {@link CacheStatistics}, one setter per counter (same names as the accessors); counters
     * not set stay as they were (zero for {@link CacheStatistics#builder()}). Not thread-safe.
     */
    public static final class Builder {
        private final long[] values;

        private Builder(long[] values) {
            this.values = values;
        }

        private Builder set(Counter counter, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(
                        "statistics counters must not be negative, " + camelCase(counter.name()) + " was " + value);
            }
            values[counter.ordinal()] = value;
            return this;
        }

        /** See {@link CacheStatistics#requests()}. */
        public Builder requests(long value) {
            return set(Counter.REQUESTS, value);
        }

        /** See {@link CacheStatistics#hits()}. */
        public Builder hits(long value) {
            return set(Counter.HITS, value);
        }

        /** See {@link CacheStatistics#negativeHits()}. */
        public Builder negativeHits(long value) {
            return set(Counter.NEGATIVE_HITS, value);
        }

        /** See {@link CacheStatistics#staleServed()}. */
        public Builder staleServed(long value) {
            return set(Counter.STALE_SERVED, value);
        }

        /** See {@link CacheStatistics#coalescedWaits()}. */
        public Builder coalescedWaits(long value) {
            return set(Counter.COALESCED_WAITS, value);
        }

        /** See {@link CacheStatistics#misses()}. */
        public Builder misses(long value) {
            return set(Counter.MISSES, value);
        }

        /** See {@link CacheStatistics#loads()}. */
        public Builder loads(long value) {
            return set(Counter.LOADS, value);
        }

        /** See {@link CacheStatistics#loadFailures()}. */
        public Builder loadFailures(long value) {
            return set(Counter.LOAD_FAILURES, value);
        }

        /** See {@link CacheStatistics#upstreamCalls()}. */
        public Builder upstreamCalls(long value) {
            return set(Counter.UPSTREAM_CALLS, value);
        }

        /** See {@link CacheStatistics#upstreamCallsSaved()}. */
        public Builder upstreamCallsSaved(long value) {
            return set(Counter.UPSTREAM_CALLS_SAVED, value);
        }

        /** See {@link CacheStatistics#backendErrors()}. */
        public Builder backendErrors(long value) {
            return set(Counter.BACKEND_ERRORS, value);
        }

        /** See {@link CacheStatistics#failSafeThrottled()}. */
        public Builder failSafeThrottled(long value) {
            return set(Counter.FAIL_SAFE_THROTTLED, value);
        }

        /** See {@link CacheStatistics#refreshesSkipped()}. */
        public Builder refreshesSkipped(long value) {
            return set(Counter.REFRESHES_SKIPPED, value);
        }

        /** See {@link CacheStatistics#loadsAbandoned()}. */
        public Builder loadsAbandoned(long value) {
            return set(Counter.LOADS_ABANDONED, value);
        }

        /** See {@link CacheStatistics#warmLoads()}. */
        public Builder warmLoads(long value) {
            return set(Counter.WARM_LOADS, value);
        }

        /** See {@link CacheStatistics#prefetchesStarted()}. */
        public Builder prefetchesStarted(long value) {
            return set(Counter.PREFETCHES_STARTED, value);
        }

        /** See {@link CacheStatistics#prefetchesUsed()}. */
        public Builder prefetchesUsed(long value) {
            return set(Counter.PREFETCHES_USED, value);
        }

        /** See {@link CacheStatistics#prefetchesUnused()}. */
        public Builder prefetchesUnused(long value) {
            return set(Counter.PREFETCHES_UNUSED, value);
        }

        /** See {@link CacheStatistics#aheadSkippedFull()}. */
        public Builder aheadSkippedFull(long value) {
            return set(Counter.AHEAD_SKIPPED_FULL, value);
        }

        /** See {@link CacheStatistics#aheadSwitchedOff()}. */
        public Builder aheadSwitchedOff(long value) {
            return set(Counter.AHEAD_SWITCHED_OFF, value);
        }

        /** See {@link CacheStatistics#skippedForBudget()}. */
        public Builder skippedForBudget(long value) {
            return set(Counter.SKIPPED_FOR_BUDGET, value);
        }

        /** See {@link CacheStatistics#totalLoadTimeNanos()}. */
        public Builder totalLoadTimeNanos(long value) {
            return set(Counter.TOTAL_LOAD_TIME_NANOS, value);
        }

        /** See {@link CacheStatistics#entries()}. */
        public Builder entries(long value) {
            return set(Counter.ENTRIES, value);
        }

        /** See {@link CacheStatistics#evictions()}. */
        public Builder evictions(long value) {
            return set(Counter.EVICTIONS, value);
        }

        /** See {@link CacheStatistics#unreadable()}. */
        public Builder unreadable(long value) {
            return set(Counter.UNREADABLE, value);
        }

        /** The snapshot; the builder may be used on. */
        public CacheStatistics build() {
            return new CacheStatistics(values.clone());
        }
    }
}
