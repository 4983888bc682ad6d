package io.huddle.core.api;

/**
 * Where the engine records what it does for one kind, one method per event, after Caffeine's {@code
 * StatsCounter}. The engine calls it from many threads at once, on the hit path too: an
 * implementation must be thread-safe and cheap (a {@code LongAdder} increment per event is the
 * model), and must not throw.
 *
 * <p>Every request is recorded once, and when it ends, its outcome exactly once. A request answered
 * from a fresh entry is recorded by its outcome alone, {@link #recordHit} or {@link
 * #recordNegativeHit}, which stand for the request too (so that a hit costs one event, as in
 * Caffeine, whose request count is hits plus misses). Every other request is recorded by {@link
 * #recordRequests} before its outcome: {@link #recordStale}, {@link #recordCoalescedWait} or
 * {@link #recordMiss}. So requests are the hits, the negative hits and what {@link #recordRequests}
 * counted. The {@code cost} the outcomes take is the cost of the entry that answered, which the
 * request saved the upstream; the counters of {@link CacheStatistics} say what each event means.
 *
 * <p>An application may plug its own through {@code SharedCache.Builder.statsCounterPerKind}, one per
 * kind, for example to export the events to its metrics as they happen; one that delegates its
 * counting to a {@link ConcurrentStatsCounter} keeps the engine's snapshots whole.
 */
public interface StatsCounter {
    /**
     * {@code count} keys were asked for (one of a {@code get}, each of a {@code getAll}) that were not
     * answered from a fresh entry; their outcomes follow.
     */
    void recordRequests(int count);

    /** A request was answered with a fresh value of the given cost: the request and its outcome. */
    void recordHit(int cost);

    /**
     * A request was answered "not found" from a fresh not-found entry of the given cost: the request
     * and its outcome.
     */
    void recordNegativeHit(int cost);

    /** A request was answered with an expired value of the given cost. */
    void recordStale(int cost);

    /**
     * A request waited for a load another request had started; {@code cost} is the cost of the entry
     * it got, zero when the load failed.
     */
    void recordCoalescedWait(int cost);

    /** A request started a load itself, and it ended (with a value or an error). */
    void recordMiss();

    /** A loader call started. */
    void recordLoadStarted();

    /** A loader call returned after {@code loadNanos}, having made {@code upstreamCalls} upstream calls. */
    void recordLoadSuccess(long loadNanos, long upstreamCalls);

    /** A loader call threw, or returned nothing, after {@code loadNanos}. */
    void recordLoadFailure(long loadNanos);

    /** A call of the backend failed; it was treated as a miss or skipped. */
    void recordBackendError();

    /** A request made no new attempt because its key's last load failed within the fail-safe throttle. */
    void recordFailSafeThrottled();

    /** {@code count} background refreshes were skipped because the background executor was full. */
    void recordRefreshesSkipped(int count);

    /** A load ran past the policy's maximum load time and was abandoned. */
    void recordLoadAbandoned();

    /** A load ahead of users that warming ran returned ({@link CacheStatistics#warmLoads()}). */
    void recordWarmLoad();

    /** A prefetch started a load ahead of users ({@link CacheStatistics#prefetchesStarted()}). */
    void recordPrefetchStarted();

    /** A request hit a key prefetched within its ttl ({@link CacheStatistics#prefetchesUsed()}). */
    void recordPrefetchUsed();

    /** A prefetched key was not asked for within its ttl ({@link CacheStatistics#prefetchesUnused()}). */
    void recordPrefetchUnused();

    /** A warm load or prefetch was not started, the background executor full. */
    void recordAheadSkippedFull();

    /** A warm load or prefetch was not started, switched off by the kind's policy. */
    void recordAheadSwitchedOff();

    /** A background load got no permit from the upstream budget ({@link CacheStatistics#skippedForBudget()}). */
    void recordSkippedForBudget();

    /**
     * What was recorded so far, with the backend's counts ({@link CacheStatistics#entries()}, {@link
     * CacheStatistics#evictions()}, {@link CacheStatistics#unreadable()}) zero: the engine adds those.
     */
    CacheStatistics snapshot();
}
