package io.huddle.redis;

import io.huddle.core.cache.CacheKey;

/**
 * Opens {@link RedisCachePort#keyOf(CacheKey)} to the benchmarks, so that the raw Jedis baseline
 * reads exactly the key the port wrote. It lives in the adapter's package inside the benchmarks
 * module (a split package, which only works on the class path, where the benchmarks run); nothing
 * but the benchmarks uses it.
 */
public final class RedisKeyOf {
    private RedisKeyOf() {}

    /** The Redis key under which {@code port} stores {@code key}. */
    public static String keyOf(RedisCachePort port, CacheKey key) {
        return port.keyOf(key);
    }
}
