package io.huddle.examples;

import com.google.inject.Module;
import io.huddle.guice.CaffeineCacheModule;
import io.huddle.guice.EhcacheCacheModule;
import io.huddle.guice.RedisCacheModule;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/** Where an application's shared cache lives, and the Guice module that puts it there. */
public enum Backend {
    /** Caffeine, in this process. */
    CAFFEINE,
    /** Ehcache 3: heap, off-heap and a disk tier that survives a restart. */
    EHCACHE,
    /** Redis alone: one load per key across servers. */
    REDIS,
    /** Caffeine in front of Redis, kept true by the Redis bus. */
    NEAR;

    /** The entries an in-process tier holds at most. */
    static final long LOCAL_ENTRIES = 100_000;

    /**
     * The backend named (any case).
     *
     * @throws IllegalArgumentException naming the option and the choices, for another name
     */
    public static Backend parse(String option, String value) {
        for (Backend backend : values()) {
            if (backend.name().equalsIgnoreCase(value)) {
                return backend;
            }
        }
        throw new IllegalArgumentException(option + " must be caffeine, ehcache, redis or near, was '" + value + "'");
    }

    /** Whether this backend needs a Redis server. */
    public boolean usesRedis() {
        return this == REDIS || this == NEAR;
    }

    /**
     * The module binding this backend's {@code CachePort} (and, on Redis, its lease coordinator, bus
     * and fleet budget).
     *
     * @param redis the Redis server, for {@link #REDIS} and {@link #NEAR}
     * @param keyPrefix the Redis keys' prefix
     * @param directory the Ehcache disk tier's directory, for {@link #EHCACHE}
     */
    public Module module(URI redis, String keyPrefix, Path directory) {
        return switch (this) {
            case CAFFEINE -> new CaffeineCacheModule(LOCAL_ENTRIES);
            case EHCACHE -> new EhcacheCacheModule(directory);
            case REDIS -> new RedisCacheModule(redis, keyPrefix);
            case NEAR -> RedisCacheModule.nearCache(redis, keyPrefix);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
