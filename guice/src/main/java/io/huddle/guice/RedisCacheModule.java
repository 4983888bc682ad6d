package io.huddle.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import io.huddle.caffeine.CaffeineCachePort;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.InvalidationBus;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.tiered.TieredCachePort;
import io.huddle.redis.RedisHuddle;
import java.net.URI;
import java.util.Objects;

/**
 * Chooses Redis as the cache backend: one cache shared by every server connected to it, with one
 * load per key across all of them.
 *
 * <p>Binds a singleton {@link RedisHuddle} for the server at the URI ({@code
 * redis://[user:password@]host:port[/database]}, or {@code rediss://} for TLS), with its keys under
 * the given prefix; the engine's {@link LoadCoordinator} to its lease coordinator (single flight
 * across servers) and its {@link InvalidationBus} to its pub/sub bus. {@link CachePort} is its Redis
 * port itself, or with {@link #nearCache} a {@link TieredCachePort} with a Caffeine tier in front of
 * it; closing the engine closes the port, and with it the {@link RedisHuddle}. It also binds the {@link UpstreamBudget} to one in Redis ({@code <prefix>:~budget:upstream})
 * for the {@link BudgetPlan} another module binds (the API client module does), so that every server
 * on the same Redis and prefix shares the plan of their API key; while Redis cannot be reached, each
 * server keeps to its share, with the number of servers learned from Redis. Nothing connects while
 * the module is configured; a Redis that cannot be reached is served as misses, never as failed
 * calls.
 */
public final class RedisCacheModule extends AbstractModule {
    private static final long NEAR_CACHE_ENTRIES = 100_000;
    private static final String LEASES = "huddle-redis";

    private final URI server;
    private final String keyPrefix;
    private final boolean near;

    /**
     * Redis alone: every read is a round trip to Redis.
     *
     * @param server the Redis server
     * @param keyPrefix the first part of every key, so that applications sharing a server stay apart
     */
    public RedisCacheModule(URI server, String keyPrefix) {
        this(server, keyPrefix, false);
    }

    private RedisCacheModule(URI server, String keyPrefix, boolean near) {
        this.server = Objects.requireNonNull(server, "server");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.near = near;
    }

    /**
     * The near cache: Caffeine in front of Redis, so that a read this server has made recently costs
     * no round trip; other servers' writes and invalidations reach it through the bus (see {@link
     * TieredCachePort} for how stale a local copy can be).
     */
    public static RedisCacheModule nearCache(URI server, String keyPrefix) {
        return new RedisCacheModule(server, keyPrefix, true);
    }

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), LoadCoordinator.class)
                .setBinding()
                .to(Key.get(LoadCoordinator.class, Names.named(LEASES)));
        OptionalBinder.newOptionalBinder(binder(), InvalidationBus.class)
                .setBinding()
                .to(Key.get(InvalidationBus.class, Names.named(LEASES)));
        OptionalBinder.newOptionalBinder(binder(), UpstreamBudget.class)
                .setBinding()
                .to(Key.get(UpstreamBudget.class, Names.named(LEASES)));
    }

    @Provides
    @Singleton
    @Named(LEASES)
    UpstreamBudget budget(RedisHuddle redis, BudgetPlan plan) {
        return redis.upstreamBudget("upstream", plan);
    }

    @Provides
    @Singleton
    @Named(LEASES)
    LoadCoordinator leases(RedisHuddle redis) {
        return redis.loadCoordinator();
    }

    @Provides
    @Singleton
    @Named(LEASES)
    InvalidationBus bus(RedisHuddle redis) {
        return redis.invalidationBus();
    }

    @Provides
    @Singleton
    RedisHuddle redis() {
        return RedisHuddle.builder().uri(server).keyPrefix(keyPrefix).build();
    }

    @Provides
    @Singleton
    CachePort cachePort(RedisHuddle redis) {
        if (!near) {
            return redis.cachePort();
        }
        return TieredCachePort.builder(
                        CaffeineCachePort.builder()
                                .maximumSize(NEAR_CACHE_ENTRIES)
                                .build(),
                        redis.cachePort())
                .build();
    }
}
