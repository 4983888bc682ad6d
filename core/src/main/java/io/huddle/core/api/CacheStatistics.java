package io.huddle.core.api;

/**
 * An immutable snapshot of what the engine did, for one kind or for all of them.
 *
 * <p>Every request (one key of a {@code get}, each key of a {@code getAll}) is counted once in
 * {@link #requests()} and, when it ends with an answer or an error, exactly once in one of {@link
 * #hits()}, {@link #negativeHits()}, {@link #staleServed()}, {@link #coalescedWaits()} and {@link
 * #misses()}, so those five add up to the requests that have ended.
 *
 * @param requests keys asked for
 * @param hits requests answered with a fresh value from the cache
 * @param negativeHits requests answered "not found" from a fresh not-found entry
 * @param staleServed requests answered with an expired value: while a background refresh runs
 *     (stale-while-revalidate), or because a load failed, timed out or was throttled (stale-if-error)
 * @param coalescedWaits requests that found nothing usable and waited for a load another request
 *     had started, ending with its value or its error
 * @param misses requests that found nothing usable and started a load themselves, ending with its
 *     value or its error
 * @param loads loader calls started: one per single get, background refresh or bulk load
 * @param loadFailures loader calls that threw, or returned nothing
 * @param upstreamCalls upstream calls made by loader calls that succeeded: the sum of their {@link
 *     Loaded#calls()} (a {@link Loaded#derived derived} value's loader makes none of its own)
 * @param upstreamCallsSaved the sum of the costs of the entries that answered requests without a
 *     load of their own: hits, negative hits, stale served and successful coalesced waits
 * @param backendErrors calls to the backend that failed (each was treated as a miss or skipped)
 * @param failSafeThrottled requests that found their key's last load failed within the policy's
 *     fail-safe throttle and so made no new attempt: answered stale (and counted in staleServed too),
 *     or served stale under stale-while-revalidate without starting a refresh
 * @param refreshesSkipped background refreshes not started because the background executor was
 *     full; the stale value was served all the same, and a later request tries again
 * @param loadsAbandoned loads that ran past the policy's maximum load time: their waiters were
 *     answered (stale or a timeout) and the key freed without waiting for them
 * @param entries entries the backend holds now (zero for a backend that cannot count them)
 * @param evictions entries the backend removed for size or expiry
 * @param unreadable reads that found an entry the backend could not decode (corrupt, or written with
 *     another schema version); each was read as a miss, and the next load replaces the entry. A
 *     load's leader reads the key once more before loading, so one corrupt entry met by one request
 *     usually counts twice
 */
public record CacheStatistics(
        long requests,
        long hits,
        long negativeHits,
        long staleServed,
        long coalescedWaits,
        long misses,
        long loads,
        long loadFailures,
        long upstreamCalls,
        long upstreamCallsSaved,
        long backendErrors,
        long failSafeThrottled,
        long refreshesSkipped,
        long loadsAbandoned,
        long entries,
        long evictions,
        long unreadable) {

    /** All counters zero. */
    public static final CacheStatistics EMPTY = new CacheStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public CacheStatistics {
        long[] all = {
            requests,
            hits,
            negativeHits,
            staleServed,
            coalescedWaits,
            misses,
            loads,
            loadFailures,
            upstreamCalls,
            upstreamCallsSaved,
            backendErrors,
            failSafeThrottled,
            refreshesSkipped,
            loadsAbandoned,
            entries,
            evictions,
            unreadable
        };
        for (long counter : all) {
            if (counter < 0) {
                throw new IllegalArgumentException("statistics counters must not be negative");
            }
        }
    }

    /** Only a backend's counts, with every engine counter zero. */
    public static CacheStatistics backendOnly(long entries, long evictions, long unreadable) {
        return new CacheStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, entries, evictions, unreadable);
    }

    /**
     * The share of requests answered at once from the cache, without waiting for any load: (hits +
     * negative hits + stale served) / requests; 1.0 when there were no requests, as in Caffeine.
     */
    public double hitRate() {
        return requests == 0 ? 1.0 : (double) (hits + negativeHits + staleServed) / requests;
    }

    /**
     * The share of requests that cost the upstream nothing of their own: everything but misses, over
     * requests; 1.0 when there were no requests.
     */
    public double upstreamAvoidanceRate() {
        return requests == 0 ? 1.0 : (double) (requests - misses) / requests;
    }

    /** The counter-wise sum of this and {@code other}. */
    public CacheStatistics plus(CacheStatistics other) {
        return new CacheStatistics(
                requests + other.requests,
                hits + other.hits,
                negativeHits + other.negativeHits,
                staleServed + other.staleServed,
                coalescedWaits + other.coalescedWaits,
                misses + other.misses,
                loads + other.loads,
                loadFailures + other.loadFailures,
                upstreamCalls + other.upstreamCalls,
                upstreamCallsSaved + other.upstreamCallsSaved,
                backendErrors + other.backendErrors,
                failSafeThrottled + other.failSafeThrottled,
                refreshesSkipped + other.refreshesSkipped,
                loadsAbandoned + other.loadsAbandoned,
                entries + other.entries,
                evictions + other.evictions,
                unreadable + other.unreadable);
    }

    /**
     * The counter-wise difference, floored at zero, to measure what happened between two snapshots.
     * Entries are a level, not a count: the result keeps this snapshot's.
     */
    public CacheStatistics minus(CacheStatistics earlier) {
        return new CacheStatistics(
                Math.max(0, requests - earlier.requests),
                Math.max(0, hits - earlier.hits),
                Math.max(0, negativeHits - earlier.negativeHits),
                Math.max(0, staleServed - earlier.staleServed),
                Math.max(0, coalescedWaits - earlier.coalescedWaits),
                Math.max(0, misses - earlier.misses),
                Math.max(0, loads - earlier.loads),
                Math.max(0, loadFailures - earlier.loadFailures),
                Math.max(0, upstreamCalls - earlier.upstreamCalls),
                Math.max(0, upstreamCallsSaved - earlier.upstreamCallsSaved),
                Math.max(0, backendErrors - earlier.backendErrors),
                Math.max(0, failSafeThrottled - earlier.failSafeThrottled),
                Math.max(0, refreshesSkipped - earlier.refreshesSkipped),
                Math.max(0, loadsAbandoned - earlier.loadsAbandoned),
                entries,
                Math.max(0, evictions - earlier.evictions),
                Math.max(0, unreadable - earlier.unreadable));
    }
}
