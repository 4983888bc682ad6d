package io.huddle.core.tiered;

import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CachePort;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The remote tier as the near cache calls it: left alone for a rest after a failure, and, once it
 * answers again, sent the invalidations that could not reach it meanwhile. Thread-safe.
 */
final class RemoteTier {
    final CachePort port;
    final PendingInvalidations pending = new PendingInvalidations();
    private final RemoteHealth health;

    RemoteTier(CachePort port, Duration retryInterval) {
        this.port = port;
        this.health = new RemoteHealth(retryInterval);
    }

    /** Runs a call of the remote tier unless it is resting after a failure; notes the outcome. */
    <T> T call(Supplier<T> call) {
        if (!health.mayTry()) {
            throw new CacheBackendException(port.name(), "unreachable a moment ago; answering from the local tier");
        }
        T result;
        try {
            result = call.get();
        } catch (CacheBackendException e) {
            health.failed();
            throw e;
        }
        if (health.succeeded() || !pending.isEmpty()) {
            replayPending();
        }
        return result;
    }

    /** {@link #call} for a call without a result. */
    void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /** Replays the invalidations that could not reach the remote tier, oldest first, while it answers. */
    void replayPending() {
        pending.replay(port::invalidate, port::invalidateKind);
    }

    /** Whether a caller may try the remote tier now (see {@link RemoteHealth#mayTry}). */
    boolean mayTry() {
        return health.mayTry();
    }

    /** A call made outside {@link #call} failed. */
    void failed() {
        health.failed();
    }

    /** The remote port reached its store again: calls go through at once. */
    void reconnected() {
        health.reset();
    }
}
