package io.huddle.core;

import io.huddle.core.api.StatsCounter;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind's recent prefetches, by id, each until the kind's ttl after it started: a hit on one
 * counts it used; one not hit by then, or dropped for room past {@link #CAPACITY}, counts unused.
 * Bounded. The hit path pays one volatile read while nothing is tracked, one lock-free map read
 * otherwise. Thread-safe.
 */
final class PrefetchTracker {
    static final int CAPACITY = 4096;
    private static final long SWEEP_EVERY_MILLIS = 1_000;

    private final StatsCounter stats;
    private final Map<String, Long> untilMillis = new ConcurrentHashMap<>();
    private final AtomicLong nextSweepMillis = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean tracking;

    PrefetchTracker(StatsCounter stats) {
        this.stats = stats;
    }

    /** A prefetch of the id started at {@code nowMillis}; it may be used until {@code untilMillis}. */
    void track(String id, long nowMillis, long untilMillis) {
        sweepIfDue(nowMillis);
        tracking = true;
        if (this.untilMillis.put(id, untilMillis) != null) {
            // prefetched again: the earlier one's entry expired without a hit
            stats.recordPrefetchUnused();
        }
        if (this.untilMillis.size() > CAPACITY) {
            sweep(nowMillis);
            Iterator<String> oldest = this.untilMillis.keySet().iterator();
            while (this.untilMillis.size() > CAPACITY && oldest.hasNext()) {
                if (this.untilMillis.remove(oldest.next()) != null) {
                    stats.recordPrefetchUnused();
                }
            }
        }
    }

    /** A request was answered fresh for the id at {@code nowMillis}: a prefetch of it was used. */
    void answered(String id, long nowMillis) {
        Long until = untilMillis.get(id);
        if (until != null && untilMillis.remove(id, until)) {
            if (nowMillis < until) {
                stats.recordPrefetchUsed();
            } else {
                stats.recordPrefetchUnused();
            }
        }
    }

    /** The prefetch of the id did not load (the budget refused it): neither used nor unused. */
    void forget(String id) {
        if (tracking) {
            untilMillis.remove(id);
        }
    }

    /** Whether any prefetch was tracked yet: one volatile read, for the hit path. */
    boolean tracking() {
        return tracking;
    }

    /** How many prefetches are tracked now. */
    int size() {
        return untilMillis.size();
    }

    private void sweepIfDue(long nowMillis) {
        long due = nextSweepMillis.get();
        if (nowMillis >= due && nextSweepMillis.compareAndSet(due, nowMillis + SWEEP_EVERY_MILLIS)) {
            sweep(nowMillis);
        }
    }

    /** Counts unused, and drops, the prefetches whose time to be used has passed. */
    void sweep(long nowMillis) {
        untilMillis.forEach((id, until) -> {
            if (nowMillis >= until && untilMillis.remove(id, until)) {
                stats.recordPrefetchUnused();
            }
        });
    }
}
