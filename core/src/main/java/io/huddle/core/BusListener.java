package io.huddle.core;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.Invalidation;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Applies invalidations heard on the bus from other engines: drops local copies of a key or a kind;
 * after lost messages (anything may have changed) distrusts them instead, so that a near cache keeps
 * them only as the fallback. Thread-safe.
 */
final class BusListener {
    private final Backend backend;
    private final Kinds kinds;
    private final BooleanSupplier closed;

    BusListener(Backend backend, Kinds kinds, BooleanSupplier closed) {
        this.backend = backend;
        this.kinds = kinds;
        this.closed = closed;
    }

    void onInvalidation(Invalidation invalidation) {
        if (invalidation.origin().equals(backend.origin) || closed.getAsBoolean()) {
            return;
        }
        if (invalidation.isEverything()) {
            List<DataKind<?>> known = kinds.known();
            try {
                backend.port.distrustLocal(known);
            } catch (RuntimeException e) {
                backend.trouble("distrust local copies of", known.size() + " kinds", e);
            }
            return;
        }
        KindState state = kinds.find(invalidation.kind().orElseThrow());
        if (state == null) {
            return;
        }
        invalidation
                .id()
                .ifPresentOrElse(
                        id -> backend.run(
                                "forget",
                                id,
                                state.stats,
                                () -> backend.port.forgetLocal(new CacheKey(state.kind, id))),
                        () -> backend.run(
                                "forget kind", state.kind, state.stats, () -> backend.port.forgetLocal(state.kind)));
    }
}
