package io.huddle.core;

import io.huddle.core.api.CacheStatistics;
import java.util.concurrent.atomic.LongAdder;

/** The live counters of one kind; {@link #snapshot} freezes them. Thread-safe. */
final class StatisticsRecorder {
    final LongAdder requests = new LongAdder();
    final LongAdder hits = new LongAdder();
    final LongAdder negativeHits = new LongAdder();
    final LongAdder staleServed = new LongAdder();
    final LongAdder coalescedWaits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder loads = new LongAdder();
    final LongAdder loadFailures = new LongAdder();
    final LongAdder upstreamCalls = new LongAdder();
    final LongAdder upstreamCallsSaved = new LongAdder();
    final LongAdder backendErrors = new LongAdder();
    final LongAdder failSafeThrottled = new LongAdder();
    final LongAdder refreshesSkipped = new LongAdder();
    final LongAdder loadsAbandoned = new LongAdder();

    /** A request answered from an entry without a load of its own: counts it and what it saved. */
    void served(LongAdder outcome, int cost) {
        outcome.increment();
        upstreamCallsSaved.add(cost);
    }

    /**
     * The engine's counters, with the backend's counts left at zero. Requests are read last: every
     * outcome is counted after its request, so the outcomes read never add up to more than the
     * requests, even while requests are under way.
     */
    CacheStatistics snapshot() {
        long hits = this.hits.sum();
        long negativeHits = this.negativeHits.sum();
        long staleServed = this.staleServed.sum();
        long coalescedWaits = this.coalescedWaits.sum();
        long misses = this.misses.sum();
        long requests = this.requests.sum();
        return new CacheStatistics(
                requests,
                hits,
                negativeHits,
                staleServed,
                coalescedWaits,
                misses,
                loads.sum(),
                loadFailures.sum(),
                upstreamCalls.sum(),
                upstreamCallsSaved.sum(),
                backendErrors.sum(),
                failSafeThrottled.sum(),
                refreshesSkipped.sum(),
                loadsAbandoned.sum(),
                0,
                0,
                0);
    }
}
