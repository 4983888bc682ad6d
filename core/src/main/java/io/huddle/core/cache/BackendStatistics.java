package io.huddle.core.cache;

import java.util.Map;

/**
 * A backend's own counts, per kind name: how many entries it holds and how many it has evicted
 * (removed for size or expiry, not by invalidation). A backend without {@link
 * CachePort.Capability#COUNTS_ENTRIES} reports no entries. Immutable.
 *
 * @param entriesByKind entries held, by kind name
 * @param evictionsByKind entries evicted since the backend was opened, by kind name
 */
public record BackendStatistics(Map<String, Long> entriesByKind, Map<String, Long> evictionsByKind) {
    /** No entries, no evictions. */
    public static final BackendStatistics EMPTY = new BackendStatistics(Map.of(), Map.of());

    public BackendStatistics {
        entriesByKind = Map.copyOf(entriesByKind);
        evictionsByKind = Map.copyOf(evictionsByKind);
    }

    /** Entries held of the kind. */
    public long entries(String kind) {
        return entriesByKind.getOrDefault(kind, 0L);
    }

    /** Entries evicted of the kind. */
    public long evictions(String kind) {
        return evictionsByKind.getOrDefault(kind, 0L);
    }

    /** Entries held in all. */
    public long entries() {
        return entriesByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Entries evicted in all. */
    public long evictions() {
        return evictionsByKind.values().stream().mapToLong(Long::longValue).sum();
    }
}
