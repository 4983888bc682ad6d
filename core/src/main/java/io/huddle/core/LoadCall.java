package io.huddle.core;

import io.huddle.core.api.BulkLoaded;
import io.huddle.core.api.BulkLoader;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** One loader call for a set of ids, as the engine runs it: values or "not found" with costs. */
@FunctionalInterface
interface LoadCall<V> {
    Map<String, Loaded<V>> load(Set<String> ids) throws Exception;

    /** A single-id loader as a load call (of one id). */
    static <V> LoadCall<V> single(Loader<V> loader) {
        return ids -> {
            String id = ids.iterator().next();
            Loaded<V> loaded = loader.load(id);
            if (loaded == null) {
                throw new IllegalStateException("the loader returned null; return Loaded.notFound() for absent items");
            }
            return Map.of(id, loaded);
        };
    }

    /** A bulk loader as a load call; its cost is shared among the ids. */
    static <V> LoadCall<V> bulk(BulkLoader<V> loader) {
        return ids -> {
            BulkLoaded<V> loaded = loader.loadAll(ids);
            if (loaded == null) {
                throw new IllegalStateException("the bulk loader returned null; return an empty BulkLoaded instead");
            }
            // share the cost as evenly as whole numbers allow, so that the shares add up to it
            int base = loaded.cost() / ids.size();
            int extra = loaded.cost() % ids.size();
            Map<String, Loaded<V>> each = new HashMap<>();
            int index = 0;
            for (String id : ids) {
                int share = base + (index++ < extra ? 1 : 0);
                V value = loaded.values().get(id);
                each.put(id, value == null ? Loaded.notFound(share) : Loaded.of(value, share));
            }
            return each;
        };
    }
}
