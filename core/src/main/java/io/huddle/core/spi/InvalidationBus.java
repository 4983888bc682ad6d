package io.huddle.core.spi;

import io.huddle.core.memory.InProcessInvalidationBus;
import java.util.function.Consumer;

/**
 * Tells the other engines (other servers) that a key changed, so that they drop it from their local
 * tier. {@link InProcessInvalidationBus} connects engines in one process; a distributed one
 * (pub/sub in a shared store) connects servers.
 *
 * <p>Delivery is best effort; an implementation that can lose messages must detect the loss and
 * tell its subscribers to drop everything rather than let them serve stale data silently.
 * Implementations are thread-safe.
 */
public interface InvalidationBus extends AutoCloseable {

    /** Sends the message to every subscriber, the publisher's own included. */
    void publish(Invalidation invalidation);

    /** Registers a listener; closing the returned handle unregisters it. */
    Subscription subscribe(Consumer<Invalidation> listener);

    /**
     * What the bus has done so far; the default counts nothing (a bus within one process sends nothing
     * to other servers).
     */
    default BusStatistics statistics() {
        return BusStatistics.EMPTY;
    }

    /** Stops delivering; idempotent. */
    @Override
    void close();

    /** A registered listener. */
    interface Subscription extends AutoCloseable {
        /** Unregisters the listener; idempotent. */
        @Override
        void close();
    }
}
