package io.huddle.core.cache;

import java.time.Duration;

/**
 * A caller waited for a load longer than the policy's load timeout. The load itself goes on and, if
 * it succeeds, fills the cache for later callers.
 */
public class CacheLoadTimeoutException extends CacheLoadException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public CacheLoadTimeoutException(CacheKey key, Duration timeout) {
        super(key, "no value within the load timeout of " + timeout, null);
        this.timeout = timeout;
    }

    /** The load timeout that ran out. */
    public Duration timeout() {
        return timeout;
    }
}
