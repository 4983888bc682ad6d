package io.huddle.core.api;

import java.time.Duration;

/**
 * A caller waited for a load longer than the policy's load timeout, or the load ran past the policy's
 * maximum load time and was abandoned. A load the caller stopped waiting for goes on and, if it
 * succeeds, fills the cache for later callers; an abandoned one no longer holds its key, and its late
 * result is stored only if nothing newer was meanwhile.
 */
public class CacheLoadTimeoutException extends CacheLoadException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public CacheLoadTimeoutException(CacheKey key, Duration timeout) {
        super(key, "no value within the load timeout of " + timeout, null);
        this.timeout = timeout;
    }

    private CacheLoadTimeoutException(CacheKey key, Duration timeout, String message) {
        super(key, message, null);
        this.timeout = timeout;
    }

    /** The load of {@code key} ran past {@code maxLoadTime} and was abandoned. */
    public static CacheLoadTimeoutException abandoned(CacheKey key, Duration maxLoadTime) {
        return new CacheLoadTimeoutException(
                key, maxLoadTime, "the load ran past its maximum load time of " + maxLoadTime + " and was abandoned");
    }

    /** The load timeout, or the maximum load time, that ran out. */
    public Duration timeout() {
        return timeout;
    }
}
