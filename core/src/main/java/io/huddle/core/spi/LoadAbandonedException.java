package io.huddle.core.spi;

import io.huddle.core.api.CacheKey;

/**
 * The outcome of a follower's claim when its leader went away without an outcome: the lease of a
 * server that died expired, or the coordinator lost contact with the shared store while waiting.
 * Nothing failed upstream; the engine reads the key again and, if it is still missing, claims it
 * again (and may lead the load itself), within the same load timeout.
 */
public final class LoadAbandonedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LoadAbandonedException(CacheKey key, String reason) {
        super("the load of " + key + " was abandoned: " + reason, null, false, false);
    }
}
