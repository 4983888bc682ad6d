package io.huddle.core;

import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.Loaded;
import io.huddle.core.spi.CacheEntry;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/** Builds a kind's entries from loaded values under its policy, with the ttl's jitter. Immutable. */
final class EntryFactory {
    private final CachePolicy policy;
    private final long ttlMillis;

    EntryFactory(CachePolicy policy) {
        this.policy = policy;
        this.ttlMillis = policy.ttl().toMillis();
    }

    /**
     * The fresh lifetime of the entries of one load: the ttl, shortened by up to the jitter fraction.
     * Drawn once per load, not per entry: the entries one upstream call brought expire together and
     * so refresh together in one call, while separate loads spread out.
     */
    long freshMillis() {
        if (policy.jitter() == 0) {
            return ttlMillis;
        }
        return ttlMillis
                - (long) (ttlMillis
                        * policy.jitter()
                        * ThreadLocalRandom.current().nextDouble());
    }

    /** The entry of a loaded value or "not found", written at {@code now}, fresh for {@code freshMillis}. */
    <V> CacheEntry<V> entryFor(Loaded<V> loaded, Instant now, long freshMillis) {
        V value = loaded.rawValue();
        if (value == null) {
            return CacheEntry.notFound(now, now.plus(policy.negativeTtl()), loaded.cost());
        }
        Instant freshUntil = now.plusMillis(freshMillis);
        return CacheEntry.found(value, now, freshUntil, freshUntil.plus(policy.staleWindow()), loaded.cost());
    }
}
