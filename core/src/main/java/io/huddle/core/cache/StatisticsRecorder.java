package io.huddle.core.cache;

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

    /** A request answered from an entry without a load of its own: counts it and what it saved. */
    void served(LongAdder outcome, int cost) {
        outcome.increment();
        upstreamCallsSaved.add(cost);
    }

    /** The engine's counters, with the backend's counts left at zero. */
    CacheStatistics snapshot() {
        return new CacheStatistics(
                requests.sum(),
                hits.sum(),
                negativeHits.sum(),
                staleServed.sum(),
                coalescedWaits.sum(),
                misses.sum(),
                loads.sum(),
                loadFailures.sum(),
                upstreamCalls.sum(),
                upstreamCallsSaved.sum(),
                backendErrors.sum(),
                0,
                0,
                0);
    }
}
