package io.huddle.core.spi;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import java.util.Objects;
import java.util.Optional;

/**
 * A message on the {@link InvalidationBus}: the key, the whole kind, or everything that changed, and
 * which engine said so.
 *
 * @param origin the id of the engine that published it
 * @param kind the name of the kind, or empty for every kind
 * @param id the id within the kind, or empty for the whole kind
 */
public record Invalidation(String origin, Optional<String> kind, Optional<String> id) {
    public Invalidation {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        if (id.isPresent() && kind.isEmpty()) {
            throw new IllegalArgumentException("an invalidation of one id must name its kind");
        }
    }

    /** One key changed. */
    public static Invalidation ofKey(String origin, CacheKey key) {
        return new Invalidation(origin, Optional.of(key.kind().name()), Optional.of(key.id()));
    }

    /** Every key of the kind changed. */
    public static Invalidation ofKind(String origin, DataKind<?> kind) {
        return new Invalidation(origin, Optional.of(kind.name()), Optional.empty());
    }

    /**
     * Anything may have changed: what a bus tells its listeners when it may have lost messages, so
     * that they drop every local copy rather than serve stale data silently.
     */
    public static Invalidation everything(String origin) {
        return new Invalidation(origin, Optional.empty(), Optional.empty());
    }

    /** Whether this is {@link #everything}. */
    public boolean isEverything() {
        return kind.isEmpty();
    }
}
