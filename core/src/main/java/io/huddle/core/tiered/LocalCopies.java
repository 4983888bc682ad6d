package io.huddle.core.tiered;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The local tier with its verified marks and the count of changes: what is kept locally, and whether
 * a copy may be served fresh. Thread-safe.
 */
final class LocalCopies {
    final CachePort port;
    final Verified verified;
    /** Changes made or heard here, so that a remote read can tell whether its key changed meanwhile. */
    final Changes changes = new Changes();

    private final InstantSource clock;

    LocalCopies(CachePort port, InstantSource clock, Duration localTtl) {
        this.port = port;
        this.clock = clock;
        this.verified = new Verified(clock, localTtl);
    }

    /** Whether the copy may be served without asking the remote tier: fresh and verified. */
    boolean servesFresh(CacheKey key, CacheEntry<?> copy, Instant now) {
        return copy.isFreshAt(now) && verified.at(key, now);
    }

    /** A local copy as the fallback when the remote tier cannot answer: as it is while verified. */
    CacheEntry<?> asFallback(CacheKey key, CacheEntry<?> copy, Instant now) {
        return verified.at(key, now) ? copy : copy.unverified();
    }

    /** Keeps this port's own write locally, verified: it is what the remote tier holds, or should. */
    void keepOwn(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        port.put(key, entry, keepFor);
        if (keepFor.isZero()) {
            verified.forget(key);
        } else {
            verified.mark(key);
        }
    }

    /**
     * Keeps what a remote read found, verified, unless the key changed since the read began ({@code
     * changesBefore}) or changes while it is being stored.
     */
    void keepRead(CacheKey key, CacheEntry<?> entry, long changesBefore) {
        if (changes.of(key) != changesBefore) {
            return;
        }
        Duration keepFor = entry.keepFor(clock.instant());
        if (keepFor.isZero()) {
            return;
        }
        port.put(key, entry, keepFor);
        verified.mark(key);
        // a change that came while this copy was being stored must not be undone by it
        if (changes.of(key) != changesBefore) {
            drop(key);
        }
    }

    /** Drops the local copy of the key and its mark. */
    void drop(CacheKey key) {
        port.invalidate(key);
        verified.forget(key);
    }

    /** Drops the local copies of the kind and their marks. */
    void drop(DataKind<?> kind) {
        port.invalidateKind(kind);
        verified.forget(kind);
    }
}
