package io.huddle.core.tiered;

import io.huddle.core.api.CacheKey;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts changes (writes and invalidations, made here or heard from other servers) per stripe of
 * keys, and kind-wide ones everywhere. A write or invalidation counts once before it reaches the
 * remote tier and once after: a remote read that overlaps it in any way sees the count move, and then
 * neither keeps its answer locally nor lets a later caller join it. Striped rather than one counter,
 * so that a busy fleet's changes to other keys do not keep the local tier empty. Thread-safe.
 */
final class Changes {
    private static final int STRIPES = 64;

    private final AtomicLongArray byStripe = new AtomicLongArray(STRIPES);
    private final AtomicLong everywhere = new AtomicLong();

    /** A count that moves whenever the key changes; both parts only grow, so their sum does too. */
    long of(CacheKey key) {
        return byStripe.get(stripe(key)) + everywhere.get();
    }

    void key(CacheKey key) {
        byStripe.incrementAndGet(stripe(key));
    }

    void all() {
        everywhere.incrementAndGet();
    }

    private static int stripe(CacheKey key) {
        return Math.floorMod(key.hashCode() * 0x9E3779B9, STRIPES);
    }
}
