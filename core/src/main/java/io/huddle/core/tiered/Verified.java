package io.huddle.core.tiered;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Until when each local copy of a near cache is verified: marked when the copy was read from or
 * written to the remote tier, for the local ttl. A key without a mark, or past it, is unverified.
 * Bounded: when the marks outgrow twice their count at the last sweep, the ended ones are dropped.
 * Thread-safe.
 */
final class Verified {
    private static final int FIRST_SWEEP = 1024;

    private final InstantSource clock;
    private final Duration ttl;
    private final ConcurrentMap<CacheKey, Instant> until = new ConcurrentHashMap<>();
    private volatile int sweepAbove = FIRST_SWEEP;

    Verified(InstantSource clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    void mark(CacheKey key) {
        Instant now = clock.instant();
        until.put(key, now.plus(ttl));
        if (until.size() > sweepAbove) {
            until.values().removeIf(end -> !now.isBefore(end));
            sweepAbove = Math.max(FIRST_SWEEP, 2 * until.size());
        }
    }

    boolean at(CacheKey key, Instant now) {
        Instant end = until.get(key);
        return end != null && now.isBefore(end);
    }

    void forget(CacheKey key) {
        until.remove(key);
    }

    void forget(DataKind<?> kind) {
        until.keySet().removeIf(key -> key.kind().name().equals(kind.name()));
    }

    void forgetAll() {
        until.clear();
    }
}
