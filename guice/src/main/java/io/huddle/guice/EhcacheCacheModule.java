package io.huddle.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.huddle.core.spi.CachePort;
import io.huddle.ehcache.EhcacheCachePort;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Chooses Ehcache 3 as the cache backend: heap, off-heap and a persistent disk tier, so that the
 * cache survives a restart of this server.
 *
 * <p>Binds {@link CachePort} to a singleton {@link EhcacheCachePort} keeping its disk tier in the
 * directory, with expiry on the bound {@link InstantSource} and the adapter's default tier sizes.
 * Nothing is opened while the module is configured.
 */
public final class EhcacheCacheModule extends AbstractModule {
    private final Path directory;

    /** @param directory where the disk tier lives; one open cache per directory at a time */
    public EhcacheCacheModule(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Provides
    @Singleton
    CachePort cachePort(InstantSource clock) {
        return EhcacheCachePort.builder(directory).clock(clock).build();
    }
}
