package io.huddle.core.memory;

import io.huddle.core.spi.Invalidation;
import io.huddle.core.spi.InvalidationBus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers invalidations to listeners in this process, synchronously on the publishing thread. A
 * listener that throws is logged and does not stop delivery to the others. Thread-safe.
 */
public final class InProcessInvalidationBus implements InvalidationBus {
    private static final Logger log = LoggerFactory.getLogger(InProcessInvalidationBus.class);

    private final List<Consumer<Invalidation>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @Override
    public void publish(Invalidation invalidation) {
        if (closed) {
            return;
        }
        for (Consumer<Invalidation> listener : listeners) {
            try {
                listener.accept(invalidation);
            } catch (RuntimeException e) {
                log.warn("an invalidation listener failed on {}", invalidation, e);
            }
        }
    }

    @Override
    public Subscription subscribe(Consumer<Invalidation> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
        listeners.clear();
    }
}
