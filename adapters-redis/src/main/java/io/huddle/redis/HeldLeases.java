package io.huddle.redis;

import io.huddle.core.api.CacheKey;
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
    /** On the thread that just took a lease: the key, which had no entry when the lease was taken. */
    private final ThreadLocal<Looked> lookedAt = new ThreadLocal<>();

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

    /**
     * This thread took the lease with this token and, in the same step, found the key without an
     * entry: the port's next read of the key on this thread (the engine's recheck just before it
     * loads) is answered from that, without a round trip of its own. Only the next read or write of
     * the port on this thread may use it.
     */
    void sawNoEntry(CacheKey key, String token) {
        lookedAt.set(new Looked(key, token));
    }

    /**
     * Whether this thread's read of the key can be answered "no entry" from the look taken with
     * the lease: it is the first read or write of the port on this thread since, for that key, and the
     * lease is still held, its value not yet written. Forgets the look in any case.
     */
    boolean knownWithoutEntry(CacheKey key) {
        Looked looked = lookedAt.get();
        if (looked == null) {
            return false;
        }
        lookedAt.remove();
        return looked.key.equals(key) && Boolean.FALSE.equals(handedOverByToken.get(looked.token));
    }

    /** Another read or a write of the port on this thread: a look taken with a lease no longer tells anything. */
    void forgetLook() {
        if (lookedAt.get() != null) {
            lookedAt.remove();
        }
    }

    /** Forgets the lease: its load ended; whether a write had handed it over. */
    boolean forget(String token) {
        return Boolean.TRUE.equals(handedOverByToken.remove(token));
    }

    private record Looked(CacheKey key, String token) {}
}
