/**
 * The Redis adapter: {@link io.huddle.redis.RedisCachePort}, the {@link io.huddle.core.cache.CachePort}
 * shared by every server connected to the same Redis (standalone or Cluster, through Jedis). Entries
 * are JSON envelopes under {@code <prefix>:<schema>:<kind>:<escaped id>} keys with a TTL set on write.
 * The port also makes an {@link io.huddle.core.cache.InvalidationBus} on Redis pub/sub, which tells
 * the other servers to drop their local copies of what changed, and to drop them all when a message
 * may have been lost.
 * Everything but the entry class is package-private.
 */
package io.huddle.redis;
