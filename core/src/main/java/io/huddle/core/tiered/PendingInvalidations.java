package io.huddle.core.tiered;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.CacheBackendException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Invalidations a near cache could not send to its remote tier, kept to be replayed once it answers
 * again, so that a value invalidated during an outage does not stand in the remote tier afterwards
 * (nor come back with a write-back). One replay at a time. Thread-safe.
 */
final class PendingInvalidations {
    private final Set<CacheKey> keys = ConcurrentHashMap.newKeySet();
    private final Map<String, DataKind<?>> kinds = new ConcurrentHashMap<>();
    private final AtomicBoolean replaying = new AtomicBoolean();

    void add(CacheKey key) {
        keys.add(key);
    }

    void add(DataKind<?> kind) {
        kinds.put(kind.name(), kind);
    }

    boolean isEmpty() {
        return keys.isEmpty() && kinds.isEmpty();
    }

    /** Whether an invalidation of the key (or its kind) still waits to reach the remote tier. */
    boolean covers(CacheKey key) {
        return keys.contains(key) || kinds.containsKey(key.kind().name());
    }

    /**
     * Sends the kinds, then the keys; each leaves the list once sent. Stops at the first failure,
     * leaving the rest for the next replay. Does nothing while another replay runs.
     */
    void replay(Consumer<CacheKey> invalidateKey, Consumer<DataKind<?>> invalidateKind) {
        if (isEmpty() || !replaying.compareAndSet(false, true)) {
            return;
        }
        try {
            send(kinds.values(), invalidateKind, kind -> kinds.remove(kind.name()));
            send(keys, invalidateKey, keys::remove);
        } catch (CacheBackendException e) {
            // the remote tier failed again: what is left waits for the next replay
        } finally {
            replaying.set(false);
        }
    }

    private static <T> void send(Collection<T> pending, Consumer<T> invalidate, Consumer<T> sent) {
        for (T each : java.util.List.copyOf(pending)) {
            invalidate.accept(each);
            sent.accept(each);
        }
    }
}
