package io.huddle.core.api;

import java.util.Map;

/**
 * What a {@link BulkLoader} found: the values by id (ids it was asked for and did not return are
 * "not found") and the number of upstream calls it made. The cost is shared among the entries as
 * evenly as whole numbers allow, so that the entries' costs add up to it.
 *
 * @param <V> the value type
 * @param values the values found, by id; no null keys or values
 * @param cost the number of upstream calls the load took
 */
public record BulkLoaded<V>(Map<String, V> values, int cost) {
    public BulkLoaded {
        values = Map.copyOf(values);
        if (cost < 0) {
            throw new IllegalArgumentException("cost must not be negative, was " + cost);
        }
    }

    /** Values found with the given number of upstream calls. */
    public static <V> BulkLoaded<V> of(Map<String, V> values, int cost) {
        return new BulkLoaded<>(values, cost);
    }
}
