package io.huddle.guice;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import io.huddle.caffeine.CaffeineCachePort;
import io.huddle.client.BalldontlieClient;
import io.huddle.core.SharedCache;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.tiered.TieredCachePort;
import io.huddle.ehcache.EhcacheCachePort;
import io.huddle.redis.RedisHuddle;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Season;
import io.huddle.sports.SportsDataPort;
import io.huddle.sports.SportsStatsService;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing a backend is choosing a module; each module binds what its javadoc says. */
@DisplayName("Guice wiring")
class WiringTest {
    private UpstreamSimulator sim;

    @BeforeEach
    void startUpstream() {
        sim = UpstreamSimulator.builder().nameSearch(true).build().start();
    }

    @AfterEach
    void stopUpstream() {
        sim.close();
    }

    @Test
    @DisplayName("the Caffeine module gives the services a Caffeine port, and one engine for all")
    void caffeine() {
        Injector injector = injector(new CaffeineCacheModule(1_000));

        assertThat(injector.getInstance(CachePort.class)).isInstanceOf(CaffeineCachePort.class);
        assertThat(injector.getInstance(SharedCache.class)).isSameAs(injector.getInstance(SharedCache.class));
        assertThat(injector.getInstance(SportsDataPort.class).capabilities())
                .contains(SportsDataPort.Capability.NAME_SEARCH);
        assertThat(injector.getInstance(Key.get(new TypeLiteral<Optional<UpstreamBudget>>() {})))
                .as("no shared budget: the client keeps its own")
                .isEmpty();
        assertThat(client(injector).budget().plan()).isEqualTo(BudgetPlan.perMinute(60_000));
        comparesThroughTheCache(injector);
        repeatCostsNothing();
        injector.getInstance(SharedCache.class).close();
    }

    @Test
    @DisplayName("the Ehcache module gives the services an Ehcache port on the directory")
    void ehcache(@TempDir Path directory) {
        Injector injector = injector(new EhcacheCacheModule(directory));

        assertThat(injector.getInstance(CachePort.class)).isInstanceOf(EhcacheCachePort.class);
        comparesThroughTheCache(injector);
        repeatCostsNothing();
        injector.getInstance(SharedCache.class).close();
    }

    @Test
    @DisplayName("the Redis module binds a Redis port without connecting while the injector is built")
    void redis() {
        // nothing listens on port 1: building the injector and the port must not try to connect
        Injector injector = injector(new RedisCacheModule(URI.create("redis://127.0.0.1:1"), "huddle-wiring"));

        assertThat(injector.getInstance(CachePort.class))
                .isSameAs(injector.getInstance(RedisHuddle.class).cachePort());
        // a Redis that cannot be reached is a miss: the bot still gets its answer from the upstream
        comparesThroughTheCache(injector);
        assertThat(injector.getInstance(SharedCache.class).stats().backendErrors())
                .isPositive();
        UpstreamBudget budget = injector.getInstance(UpstreamBudget.class);
        assertThat(client(injector).budget())
                .as("the client takes the Redis budget")
                .isSameAs(budget);
        assertThat(budget.statistics().fallbackPermits())
                .as("every request's permit came from this server's share: nothing listens")
                .isEqualTo(sim.calls().total());
        injector.getInstance(SharedCache.class).close();
    }

    @Test
    @DisplayName("the near-cache module puts Caffeine in front of Redis, and the engine takes Redis leases")
    void nearCache() {
        Injector injector = injector(RedisCacheModule.nearCache(URI.create("redis://127.0.0.1:1"), "huddle-wiring"));

        assertThat(injector.getInstance(CachePort.class)).isInstanceOf(TieredCachePort.class);
        comparesThroughTheCache(injector);
        assertThat(injector.getInstance(LoadCoordinator.class).statistics().fallbacks())
                .as("the engine asked the Redis lease coordinator, which fell back: nothing listens")
                .isPositive();
        injector.getInstance(SharedCache.class).close();
    }

    private Injector injector(Module backend) {
        return Guice.createInjector(
                Stage.PRODUCTION,
                new SportsServicesModule(Season.of(UpstreamSimulator.SEASON)),
                backend,
                new ApiClientModule(sim.baseUrl(), "key", 60_000, true));
    }

    private static BalldontlieClient client(Injector injector) {
        return (BalldontlieClient) injector.getInstance(SportsDataPort.class);
    }

    private void comparesThroughTheCache(Injector injector) {
        SportsStatsService service = injector.getInstance(SportsStatsService.class);
        service.compare("Josh Allen", "Lamar Jackson");
        assertThat(sim.calls().total()).isEqualTo(3); // two name searches, one batch of stats
        service.compare("Josh Allen", "Lamar Jackson");
    }

    private void repeatCostsNothing() {
        assertThat(sim.calls().total()).isEqualTo(3);
    }
}
