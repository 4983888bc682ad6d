package io.huddle.redis;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The leases that the coordinators of one {@link RedisHuddle} hold, by token, shared with its port:
 * a fenced write of a value under one of them (the holder's load is done) writes the entry, releases
 * the lease and publishes the outcome with the value, all in one script ({@link
 * LeaseProtocol#handOver}), and marks the lease handed over, so that its coordinator has nothing left
 * to release. A fence of a lease held elsewhere (another process, another entry point) is written as
 * before, and its holder releases it. Thread-safe.
 */
final class HeldLeases {
    private final ConcurrentMap<String, Boolean> handedOverByToken = new ConcurrentHashMap<>();

    /** A coordinator of this entry point took the lease with this token. */
    void hold(String token) {
        handedOverByToken.put(token, Boolean.FALSE);
    }

    /** Whether a coordinator of this entry point holds the lease with this token. */
    boolean isHeld(String token) {
        return handedOverByToken.containsKey(token);
    }

    /** A fenced write released the lease with this token and announced its value. */
    void handedOver(String token) {
        handedOverByToken.replace(token, Boolean.TRUE);
    }

    /** Forgets the lease: its load ended; whether a write had handed it over. */
    boolean forget(String token) {
        return Boolean.TRUE.equals(handedOverByToken.remove(token));
    }
}
