package io.huddle.core.api;

/**
 * Where the engine records what it does for one kind, one method per event, after Caffeine's {@code
 * StatsCounter}. The engine calls it from many threads at once, on the hit path too: an
 * implementation must be thread-safe and cheap (a {@code LongAdder} increment per event is the
 * model), and must not throw.
 *
 * <p>Every request is recorded once by {@link #recordRequests} before its outcome, and, when it ends,
 * exactly once by one of {@link #recordHit}, {@link #recordNegativeHit}, {@link #recordStale},
 * {@link #recordCoalescedWait} and {@link #recordMiss}. The {@code cost} those take is the cost of
 * the entry that answered, which the request saved the upstream; the counters of {@link
 * CacheStatistics} say what each event means.
 *
 * <p>An application may plug its own through {@code SharedCache.Builder.statsCounter}, one per kind,
 * for example to export the events to its metrics as they happen.
 */
public interface StatsCounter {
    /** {@code count} keys were asked for (one of a {@code get}, each of a {@code getAll}). */
    void recordRequests(int count);

    /** A request was answered with a fresh value of the given cost. */
    void recordHit(int cost);

    /** A request was answered "not found" from a fresh not-found entry of the given cost. */
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

    /**
     * What was recorded so far, with the backend's counts ({@link CacheStatistics#entries()}, {@link
     * CacheStatistics#evictions()}, {@link CacheStatistics#unreadable()}) zero: the engine adds those.
     */
    CacheStatistics snapshot();
}
