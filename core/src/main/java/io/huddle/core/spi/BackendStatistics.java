package io.huddle.core.spi;

import java.util.Map;

/**
 * A backend's own counts, per kind name: how many entries it holds, how many it has evicted
 * (removed for size or expiry, not by invalidation) and how many it found but could not decode. A
 * backend without {@link CachePort.Capability#COUNTS_ENTRIES} reports no entries. Immutable.
 *
 * @param entriesByKind entries held, by kind name
 * @param evictionsByKind entries evicted since the backend was opened, by kind name
 * @param unreadableByKind reads since the backend was opened that found an entry it could not decode
 *     (corrupt, or of another schema version), by kind name
 */
public record BackendStatistics(
        Map<String, Long> entriesByKind, Map<String, Long> evictionsByKind, Map<String, Long> unreadableByKind) {
    /** No entries, no evictions, nothing unreadable. */
    public static final BackendStatistics EMPTY = new BackendStatistics(Map.of(), Map.of(), Map.of());

    public BackendStatistics {
        entriesByKind = Map.copyOf(entriesByKind);
        evictionsByKind = Map.copyOf(evictionsByKind);
        unreadableByKind = Map.copyOf(unreadableByKind);
    }

    /** Entries held and evicted, for a backend that never decodes (it keeps objects as they are). */
    public BackendStatistics(Map<String, Long> entriesByKind, Map<String, Long> evictionsByKind) {
        this(entriesByKind, evictionsByKind, Map.of());
    }

    /** Entries held of the kind. */
    public long entries(String kind) {
        return entriesByKind.getOrDefault(kind, 0L);
    }

    /** Entries evicted of the kind. */
    public long evictions(String kind) {
        return evictionsByKind.getOrDefault(kind, 0L);
    }

    /** Unreadable entries of the kind. */
    public long unreadable(String kind) {
        return unreadableByKind.getOrDefault(kind, 0L);
    }

    /** Entries held in all. */
    public long entries() {
        return sum(entriesByKind);
    }

    /** Entries evicted in all. */
    public long evictions() {
        return sum(evictionsByKind);
    }

    /** Unreadable entries in all. */
    public long unreadable() {
        return sum(unreadableByKind);
    }

    private static long sum(Map<String, Long> byKind) {
        return byKind.values().stream().mapToLong(Long::longValue).sum();
    }
}
