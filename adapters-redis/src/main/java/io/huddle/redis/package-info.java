/**
 * The Redis adapter: {@link io.huddle.redis.RedisCachePort}, the {@link io.huddle.core.cache.CachePort}
 * shared by every server connected to the same Redis (standalone or Cluster, through Jedis). Entries
 * are JSON envelopes under {@code <prefix>:<schema>:<kind>:<escaped id>} keys with a TTL set on write.
 * Everything but the entry class is package-private.
 */
package io.huddle.redis;
