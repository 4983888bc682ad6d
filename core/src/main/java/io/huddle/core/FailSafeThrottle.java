package io.huddle.core;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The keys whose last load failed recently, and until when: while a key is throttled, the engine
 * serves its stale value without a new attempt ({@link CachePolicy#failSafeThrottle()}). Bounded:
 * past {@link #SWEEP_ABOVE} keys, those whose throttle has ended are dropped. Thread-safe.
 */
final class FailSafeThrottle {
    static final int SWEEP_ABOVE = 10_000;

    private final ConcurrentMap<CacheKey, Instant> until = new ConcurrentHashMap<>();

    /** A load of the key failed at {@code now}: no new attempt until {@code throttle} has passed. */
    void failed(CacheKey key, Instant now, Duration throttle) {
        if (throttle.isZero()) {
            return;
        }
        until.put(key, now.plus(throttle));
        if (until.size() > SWEEP_ABOVE) {
            until.values().removeIf(end -> !now.isBefore(end));
        }
    }

    /** A load of the key succeeded: it is no longer throttled. */
    void succeeded(CacheKey key) {
        if (!until.isEmpty()) {
            until.remove(key);
        }
    }

    /** Whether a new attempt at the key must wait. */
    boolean isThrottled(CacheKey key, Instant now) {
        Instant end = until.get(key);
        if (end == null) {
            return false;
        }
        if (now.isBefore(end)) {
            return true;
        }
        until.remove(key, end);
        return false;
    }
}
