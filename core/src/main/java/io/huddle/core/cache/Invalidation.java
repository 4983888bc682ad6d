package io.huddle.core.cache;

import java.util.Objects;
import java.util.Optional;

/**
 * A message on the {@link InvalidationBus}: the key (or the whole kind) that changed, and which
 * engine said so.
 *
 * @param origin the id of the engine that published it
 * @param kind the name of the kind
 * @param id the id within the kind, or empty for the whole kind
 */
public record Invalidation(String origin, String kind, Optional<String> id) {
    public Invalidation {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    /** One key changed. */
    public static Invalidation ofKey(String origin, CacheKey key) {
        return new Invalidation(origin, key.kind().name(), Optional.of(key.id()));
    }

    /** Every key of the kind changed. */
    public static Invalidation ofKind(String origin, DataKind<?> kind) {
        return new Invalidation(origin, kind.name(), Optional.empty());
    }
}
