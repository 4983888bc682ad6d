package io.huddle.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import io.huddle.core.SharedCache;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.StatsCounter;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.InvalidationBus;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.sports.Season;
import io.huddle.sports.SportsDataPort;
import io.huddle.sports.SportsStatsService;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Guice wiring of the core services. Install it with one backend module (which binds {@link
 * CachePort}) and one upstream module (which binds {@link SportsDataPort}).
 *
 * <p>Binds:
 *
 * <ul>
 *   <li>{@link InstantSource}: the system clock (override it in tests with {@code Modules.override})
 *   <li>{@link SharedCache}: a singleton engine over the bound {@code CachePort} and clock, with the
 *       {@link LoadCoordinator} and {@link InvalidationBus} a backend module sets (optional
 *       bindings; the defaults work within this process)
 *   <li>{@link SportsStatsService}: a singleton over the engine, the bound {@code SportsDataPort} and
 *       the current season given to the constructor
 * </ul>
 *
 * <p>Nothing is built or connected while the module is configured; the engine is made when first
 * injected. Guice is an optional dependency of core: applications without Guice use {@link
 * SharedCache#builder} and the service's constructor.
 */
public final class SportsServicesModule extends AbstractModule {
    private final Season currentSeason;
    private final Function<? super DataKind<?>, ? extends StatsCounter> statsCounters;

    /** @param currentSeason the season whose rosters say who is active */
    public SportsServicesModule(Season currentSeason) {
        this(currentSeason, null);
    }

    /**
     * With the engine recording each kind's statistics into the counter given for it (a metrics
     * registry's, say: {@code MicrometerStatsCounter.perKind(registry, name)}).
     *
     * @param currentSeason the season whose rosters say who is active
     * @param statsCounters the counter of each kind, see {@link SharedCache.Builder#statsCounterPerKind}
     */
    public SportsServicesModule(
            Season currentSeason, Function<? super DataKind<?>, ? extends StatsCounter> statsCounters) {
        this.currentSeason = Objects.requireNonNull(currentSeason, "currentSeason");
        this.statsCounters = statsCounters;
    }

    @Override
    protected void configure() {
        bind(InstantSource.class).toInstance(InstantSource.system());
        OptionalBinder.newOptionalBinder(binder(), LoadCoordinator.class);
        OptionalBinder.newOptionalBinder(binder(), InvalidationBus.class);
    }

    @Provides
    @Singleton
    SharedCache sharedCache(
            CachePort port, InstantSource clock, Optional<LoadCoordinator> coordinator, Optional<InvalidationBus> bus) {
        SharedCache.Builder builder = SharedCache.builder(port).clock(clock);
        coordinator.ifPresent(builder::coordinator);
        bus.ifPresent(builder::invalidationBus);
        if (statsCounters != null) {
            builder.statsCounterPerKind(statsCounters);
        }
        return builder.build();
    }

    @Provides
    @Singleton
    SportsStatsService sportsStatsService(SharedCache cache, SportsDataPort upstream) {
        return new SportsStatsService(cache, upstream, currentSeason);
    }
}
