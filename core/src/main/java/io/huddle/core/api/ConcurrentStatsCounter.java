package io.huddle.core.api;

import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's default {@link StatsCounter}, after Caffeine's: one {@link LongAdder} per counter,
 * and a hit costs one increment (it stands for its request too). A counter of one's own that only
 * adds to what is recorded (exporting events to a metrics library, say) delegates to one of these
 * for its {@link #snapshot()}. Thread-safe.
 */
public final class ConcurrentStatsCounter implements StatsCounter {
    // The calls saved are not added per answer: each answer is taken to save one call, and only an
    // entry of another cost adds the difference to savedAdjustment.

    /** Requests not answered from a fresh entry; the hits and negative hits are requests too. */
    private final LongAdder requests = new LongAdder();

    private final LongAdder hits = new LongAdder();
    private final LongAdder negativeHits = new LongAdder();
    private final LongAdder staleServed = new LongAdder();
    private final LongAdder coalescedWaits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder upstreamCalls = new LongAdder();
    /** Calls saved, less one per answer counted in hits, negative hits, stale and coalesced waits. */
    private final LongAdder savedAdjustment = new LongAdder();

    private final LongAdder backendErrors = new LongAdder();
    private final LongAdder failSafeThrottled = new LongAdder();
    private final LongAdder refreshesSkipped = new LongAdder();
    private final LongAdder loadsAbandoned = new LongAdder();
    private final LongAdder warmLoads = new LongAdder();
    private final LongAdder prefetchesStarted = new LongAdder();
    private final LongAdder prefetchesUsed = new LongAdder();
    private final LongAdder prefetchesUnused = new LongAdder();
    private final LongAdder aheadSkippedFull = new LongAdder();
    private final LongAdder aheadSwitchedOff = new LongAdder();
    private final LongAdder skippedForBudget = new LongAdder();
    private final LongAdder totalLoadTimeNanos = new LongAdder();

    /** A counter with every count zero. */
    public ConcurrentStatsCounter() {}

    @Override
    public void recordRequests(int count) {
        requests.add(count);
    }

    @Override
    public void recordHit(int cost) {
        hits.increment();
        saved(cost);
    }

    @Override
    public void recordNegativeHit(int cost) {
        negativeHits.increment();
        saved(cost);
    }

    @Override
    public void recordStale(int cost) {
        staleServed.increment();
        saved(cost);
    }

    @Override
    public void recordCoalescedWait(int cost) {
        coalescedWaits.increment();
        saved(cost);
    }

    private void saved(int cost) {
        if (cost != 1) {
            savedAdjustment.add(cost - 1L);
        }
    }

    @Override
    public void recordMiss() {
        misses.increment();
    }

    @Override
    public void recordLoadStarted() {
        loads.increment();
    }

    @Override
    public void recordLoadSuccess(long loadNanos, long calls) {
        totalLoadTimeNanos.add(loadNanos);
        upstreamCalls.add(calls);
    }

    @Override
    public void recordLoadFailure(long loadNanos) {
        totalLoadTimeNanos.add(loadNanos);
        loadFailures.increment();
    }

    @Override
    public void recordBackendError() {
        backendErrors.increment();
    }

    @Override
    public void recordFailSafeThrottled() {
        failSafeThrottled.increment();
    }

    @Override
    public void recordRefreshesSkipped(int count) {
        refreshesSkipped.add(count);
    }

    @Override
    public void recordLoadAbandoned() {
        loadsAbandoned.increment();
    }

    @Override
    public void recordWarmLoad() {
        warmLoads.increment();
    }

    @Override
    public void recordPrefetchStarted() {
        prefetchesStarted.increment();
    }

    @Override
    public void recordPrefetchUsed() {
        prefetchesUsed.increment();
    }

    @Override
    public void recordPrefetchUnused() {
        prefetchesUnused.increment();
    }

    @Override
    public void recordAheadSkippedFull() {
        aheadSkippedFull.increment();
    }

    @Override
    public void recordAheadSwitchedOff() {
        aheadSwitchedOff.increment();
    }

    @Override
    public void recordSkippedForBudget() {
        skippedForBudget.increment();
    }

    /**
     * The counters, requests read last: every outcome but a hit's is counted after its request, and
     * a hit is its own request, so the outcomes read never add up to more than the requests, even
     * while requests are under way.
     */
    @Override
    public CacheStatistics snapshot() {
        long hits = this.hits.sum();
        long negativeHits = this.negativeHits.sum();
        long staleServed = this.staleServed.sum();
        long coalescedWaits = this.coalescedWaits.sum();
        // floored: read while answers are counted, the adjustment may run ahead of their counts
        long saved = Math.max(0, hits + negativeHits + staleServed + coalescedWaits + savedAdjustment.sum());
        CacheStatistics.Builder snapshot = CacheStatistics.builder()
                .hits(hits)
                .negativeHits(negativeHits)
                .staleServed(staleServed)
                .coalescedWaits(coalescedWaits)
                .misses(misses.sum())
                .loads(loads.sum())
                .loadFailures(loadFailures.sum())
                .upstreamCalls(upstreamCalls.sum())
                .upstreamCallsSaved(saved)
                .backendErrors(backendErrors.sum())
                .failSafeThrottled(failSafeThrottled.sum())
                .refreshesSkipped(refreshesSkipped.sum())
                .loadsAbandoned(loadsAbandoned.sum())
                .warmLoads(warmLoads.sum())
                .prefetchesStarted(prefetchesStarted.sum())
                .prefetchesUsed(prefetchesUsed.sum())
                .prefetchesUnused(prefetchesUnused.sum())
                .aheadSkippedFull(aheadSkippedFull.sum())
                .aheadSwitchedOff(aheadSwitchedOff.sum())
                .skippedForBudget(skippedForBudget.sum())
                .totalLoadTimeNanos(totalLoadTimeNanos.sum());
        return snapshot.requests(requests.sum() + hits + negativeHits).build();
    }
}
