/**
 * The Redis adapter. {@link io.huddle.redis.RedisHuddle} is its entry point: built by {@link
 * io.huddle.redis.RedisHuddleBuilder}, it owns the connection to Redis (standalone or Cluster,
 * through Jedis) and makes what every server connected to the same Redis and key prefix shares: the
 * {@link io.huddle.core.spi.CachePort} (entries as JSON envelopes under {@code
 * <prefix>:<schema>:<kind>:<escaped id>} keys with a TTL set on write), a lease coordinator (one
 * load per key across servers), an {@link io.huddle.core.spi.InvalidationBus} on Redis pub/sub,
 * which tells the other servers to drop their local copies of what changed, and to drop them all
 * when a message may have been lost, and upstream budgets ({@link io.huddle.redis.RedisBudgetBuilder}):
 * one Bucket4j token bucket in Redis for every server using the same API key, falling back to each
 * server's share of the plan while Redis cannot be reached. Everything it returns is typed by its
 * core SPI interface; the implementations are package-private.
 */
package io.huddle.redis;
