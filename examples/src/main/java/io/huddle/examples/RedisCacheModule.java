package io.huddle.examples;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.huddle.core.cache.CachePort;
import io.huddle.redis.RedisCachePort;
import java.net.URI;
import java.util.Objects;

/**
 * Chooses Redis as the cache backend: one cache shared by every server connected to it.
 *
 * <p>Binds {@link CachePort} to a singleton {@link RedisCachePort} for the server at the URI
 * ({@code redis://[user:password@]host:port[/database]}, or {@code rediss://} for TLS), with its keys
 * under the given prefix. Nothing connects while the module is configured; the port connects when
 * first used, and a Redis that cannot be reached is served as misses, never as failed calls.
 */
public final class RedisCacheModule extends AbstractModule {
    private final URI server;
    private final String keyPrefix;

    /**
     * @param server the Redis server
     * @param keyPrefix the first part of every key, so that applications sharing a server stay apart
     */
    public RedisCacheModule(URI server, String keyPrefix) {
        this.server = Objects.requireNonNull(server, "server");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    @Provides
    @Singleton
    CachePort cachePort() {
        return RedisCachePort.builder().uri(server).keyPrefix(keyPrefix).build();
    }
}
