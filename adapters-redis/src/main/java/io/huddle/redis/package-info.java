/**
 * The Redis adapter: {@link io.huddle.redis.RedisCachePort}, the {@link io.huddle.core.spi.CachePort}
 * shared by every server connected to the same Redis (standalone or Cluster, through Jedis). Entries
 * are JSON envelopes under {@code <prefix>:<schema>:<kind>:<escaped id>} keys with a TTL set on write.
 * The port also makes an {@link io.huddle.core.spi.InvalidationBus} on Redis pub/sub, which tells
 * the other servers to drop their local copies of what changed, and to drop them all when a message
 * may have been lost, a lease coordinator (one load per key across servers), and an upstream budget:
 * one Bucket4j token bucket in Redis for every server using the same API key, falling back to each
 * server's share of the plan while Redis cannot be reached.
 * Everything but the entry class (and its builders) is package-private.
 */
package io.huddle.redis;
