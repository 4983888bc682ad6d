package io.huddle.core;

import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.StatsCounter;
import io.huddle.core.spi.CacheEntry;
import java.time.Instant;
import java.util.Optional;

/**
 * A kind's policy, entry factory, statistics counter and recent prefetches, looked up once per
 * request. Thread-safe.
 */
final class KindState {
    final DataKind<?> kind;
    final CachePolicy policy;
    final StatsCounter stats;
    final EntryFactory entries;
    /** The kind's recent prefetches, to count them used or unused. */
    final PrefetchTracker prefetched;

    private final long swrMillis;
    private final long staleIfErrorMillis;

    KindState(DataKind<?> kind, CachePolicy policy, StatsCounter stats) {
        this.kind = kind;
        this.policy = policy;
        this.stats = stats;
        this.entries = new EntryFactory(policy);
        this.prefetched = new PrefetchTracker(stats);
        this.swrMillis = policy.staleWhileRevalidate().toMillis();
        this.staleIfErrorMillis = policy.staleIfError().toMillis();
    }

    /** Whether the expired entry may be served while a background refresh runs. */
    boolean withinStaleWhileRevalidate(CacheEntry<?> entry, Instant now) {
        return !entry.isNotFound()
                && entry.isVerified()
                && now.isBefore(entry.freshUntil().plusMillis(swrMillis));
    }

    /** Whether the expired entry may be served when a load fails, times out or is throttled. */
    boolean withinStaleIfError(CacheEntry<?> entry, Instant now) {
        return !entry.isNotFound() && now.isBefore(entry.freshUntil().plusMillis(staleIfErrorMillis));
    }

    /** The entry's value as the kind's type; null for a "not found" entry. The engine's one cast. */
    static <V> V valueOf(DataKind<V> kind, CacheEntry<?> entry) {
        return cast(kind, entry.rawValue());
    }

    /** The entry's value, or empty for a "not found" entry: the entry's own {@code Optional}. */
    @SuppressWarnings("unchecked") // the value was just checked to be a V
    static <V> Optional<V> answer(DataKind<V> kind, CacheEntry<?> entry) {
        valueOf(kind, entry);
        return (Optional<V>) entry.value();
    }

    /** A value checked against the kind's type (null stays null). */
    static <V> V cast(DataKind<V> kind, Object value) {
        return kind.valueType().cast(value);
    }
}
