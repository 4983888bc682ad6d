package io.huddle.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.huddle.caffeine.CaffeineCachePort;
import io.huddle.core.spi.CachePort;
import java.time.InstantSource;

/**
 * Chooses Caffeine, in this process, as the cache backend.
 *
 * <p>Binds {@link CachePort} to a singleton {@link CaffeineCachePort} holding at most the given
 * number of entries, with expiry on the bound {@link InstantSource}. Nothing is built while the
 * module is configured.
 */
public final class CaffeineCacheModule extends AbstractModule {
    private final long maximumSize;

    /** @param maximumSize the most entries kept; the least valuable are evicted beyond it */
    public CaffeineCacheModule(long maximumSize) {
        this.maximumSize = maximumSize;
    }

    @Provides
    @Singleton
    CachePort cachePort(InstantSource clock) {
        return CaffeineCachePort.builder().maximumSize(maximumSize).clock(clock).build();
    }
}
