package io.huddle.core.api;

import io.huddle.core.SharedCache;
import java.util.Set;

/**
 * Fetches several items of one kind from the upstream in one go, for {@link SharedCache#getAll}.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface BulkLoader<V> {
    /**
     * Loads the items with the given ids.
     *
     * @param ids the ids to load, never empty
     * @return the values found, with the number of upstream calls made; an id missing from the result
     *     is "not found"
     * @throws Exception if the upstream failed or refused
     */
    BulkLoaded<V> loadAll(Set<String> ids) throws Exception;
}
