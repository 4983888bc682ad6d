package io.huddle.redis;

import io.huddle.core.api.CacheKey;

/**
 * Opens the Redis adapter's package-private key format to tests and benchmarks in other modules
 * (through this module's test-jar), so that they can read or write exactly the key the port uses.
 */
public final class RedisPortInternals {
    private RedisPortInternals() {}

    /** The Redis key under which the port of {@code redis} stores {@code key}. */
    public static String keyOf(RedisHuddle redis, CacheKey key) {
        return redis.keyOf(key);
    }
}
