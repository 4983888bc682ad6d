package io.huddle.core.api;

/**
 * Fetches one item from the upstream. The engine calls it at most once at a time per key (single
 * flight) on its loader executor; it may block.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface Loader<V> {
    /**
     * Loads the item with the given id.
     *
     * @return the value or {@link Loaded#notFound()}, with the number of upstream calls made; never
     *     null
     * @throws Exception if the upstream failed or refused; the engine serves a stale value if it may,
     *     else raises a {@link CacheLoadException} with this as its cause
     */
    Loaded<V> load(String id) throws Exception;
}
