package io.huddle.examples;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.huddle.caffeine.CaffeineCachePort;
import io.huddle.client.BalldontlieClient;
import io.huddle.client.ClientMetrics;
import io.huddle.core.SharedCache;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.snapshot.CacheSnapshots;
import io.huddle.core.snapshot.SnapshotException;
import io.huddle.core.snapshot.SnapshotRestored;
import io.huddle.core.snapshot.SnapshotSchedule;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.tiered.TieredCachePort;
import io.huddle.guice.ApiClientModule;
import io.huddle.guice.CaffeineCacheModule;
import io.huddle.guice.SportsServicesModule;
import io.huddle.micrometer.MicrometerStatsCounter;
import io.huddle.micrometer.SharedCacheMetrics;
import io.huddle.micrometer.UpstreamBudgetMetrics;
import io.huddle.redis.RedisHuddle;
import io.huddle.sports.Comparison;
import io.huddle.sports.PlayerStats;
import io.huddle.sports.Season;
import io.huddle.sports.SportsAhead;
import io.huddle.sports.SportsDataPort;
import io.huddle.sports.SportsKinds;
import io.huddle.sports.SportsPolicies;
import io.huddle.sports.SportsStatsService;
import io.huddle.testkit.CachePortContractKit;
import io.huddle.testkit.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The README's code, compiled with the build: every {@code java} block of README.md is one region
 * here between a {@code // README: name} line and a {@code // README end} line, and {@link
 * ReadmeSnippetsTest} fails when the two differ. Edit the code here, then paste the region.
 */
@SuppressWarnings("unused")
final class ReadmeSnippets {
    private ReadmeSnippets() {}

    static CacheStatistics quickStart(SportsDataPort api) {
        // README: quick-start
        DataKind<PlayerStats> STATS = DataKind.of("stats", PlayerStats.class, SportsPolicies.PLAYER_STATS);

        SharedCache cache = SharedCache.builder(
                        CaffeineCachePort.builder().maximumSize(50_000).build())
                .build();

        // 1000 users asking at once cost one upstream call; the rest wait for it (single flight)
        Optional<PlayerStats> stats = cache.get(
                STATS,
                "15",
                id -> api.seasonStats(id, Season.of(2024))
                        .map(Loaded::of)
                        .orElseGet(Loaded::notFound)); // "not found" is remembered for the policy's negativeTtl

        CacheStatistics s = cache.stats(); // hits, coalescedWaits, upstreamCallsSaved, hitRate()...
        // README end
        return s;
    }

    static Comparison sportsServices(SharedCache cache) {
        // README: sports-services
        SportsDataPort api = BalldontlieClient.builder(
                        URI.create("https://api.balldontlie.io"), System.getenv("BDL_KEY"))
                .requestsPerMinute(60) // the plan's limit, for this one server (many servers: the fleet's budget)
                .nameSearch(true) // without it, players are found by scanning (and caching) the 32 rosters
                .build();
        SportsStatsService bot = new SportsStatsService(cache, api, Season.of(2024));
        Comparison c = bot.compare("Josh Allen", "Lamar Jackson"); // "T.J. Watt" = "tj watt"; ambiguity is reported
        // README end
        return c;
    }

    static CachePolicy policy() {
        // README: policy
        CachePolicy policy = CachePolicy.builder(Duration.ofHours(1)) // fresh for an hour
                .staleWhileRevalidate(Duration.ofMinutes(5)) // then served at once while one refresh runs
                .staleIfError(Duration.ofHours(24)) // served when the upstream fails or throttles
                .negativeTtl(Duration.ofMinutes(10)) // "not found" remembered this long
                .jitter(0.1) // ttls spread up to 10% shorter, once per load
                .loadTimeout(Duration.ofSeconds(10)) // the longest a caller waits for a load
                .maxLoadTime(Duration.ofSeconds(10)) // a load running longer is abandoned (default: the load timeout)
                .failSafeThrottle(Duration.ofSeconds(30)) // after a failed load, its stale value stands in
                .softTimeout(Duration.ofSeconds(1)) // with a stale value at hand, wait this long, then serve it
                .build();
        // README end
        return policy;
    }

    static SharedCache manyServers() {
        // README: many-servers
        RedisHuddle redis = RedisHuddle.builder() // owns the connection; makes everything below
                .uri(URI.create("redis://cache:6379"))
                .keyPrefix("bot")
                .build();
        SharedCache cache = SharedCache.builder(
                        TieredCachePort.builder(CaffeineCachePort.builder().build(), redis.cachePort())
                                .build())
                .coordinator(redis.loadCoordinator()) // single flight across servers: a lease per key in Redis
                .invalidationBus(redis.invalidationBus()) // writes and invalidations reach every local tier
                .build(); // closing the cache closes Redis's port, and with it the coordinator and the bus
        // README end
        return cache;
    }

    static SportsDataPort fleetBudget(RedisHuddle redis, URI apiUrl, String apiKey) {
        // README: fleet-budget
        UpstreamBudget budget = redis.upstreamBudgetBuilder("balldontlie", BudgetPlan.perMinute(60))
                .servers(4) // optional: the most servers that run at once; learned from Redis if not given
                .build(); // closed with Redis
        SportsDataPort api =
                BalldontlieClient.builder(apiUrl, apiKey).budget(budget).build();
        // README end
        return api;
    }

    static SportsAhead ahead(SportsStatsService bot, String conversation) {
        // README: ahead
        SportsAhead ahead = SportsAhead.builder(bot) // the seed's popular players and related players
                .tuning(settings -> settings.every(Duration.ofSeconds(5)).refreshAhead(0.2))
                .build();
        ahead.start(); // a warming pass now, then every 5 s; prefetch learns from the service's requests
        bot.compare("Micah Parsons", "Justin Jefferson", Season.of(2024), conversation); // T.J. Watt prefetched
        // README end
        return ahead;
    }

    static SnapshotSchedule snapshots(CachePort port) {
        // README: snapshots
        CacheSnapshots snapshots = CacheSnapshots.builder(SportsKinds.ALL).build();
        Path file = Path.of("/var/lib/huddle/cache.snapshot");
        try {
            SnapshotRestored restored = snapshots.restore(port, file); // before the first answer
        } catch (SnapshotException e) {
            // corrupt or truncated: nothing was loaded; start cold (e.getMessage() says why)
        }
        SnapshotSchedule schedule = SnapshotSchedule.start(snapshots, port, file, Duration.ofMinutes(5));
        // at shutdown, before the cache closes: schedule.close() writes one last snapshot
        // README end
        return schedule;
    }

    static SportsStatsService guice(String apiKey) {
        // README: guice
        Injector injector = Guice.createInjector(
                new SportsServicesModule(Season.of(2024)), // SharedCache, SportsStatsService, the clock
                new CaffeineCacheModule(50_000), // or EhcacheCacheModule, RedisCacheModule
                new ApiClientModule(URI.create("https://api.balldontlie.io"), apiKey, 60, true));
        SportsStatsService bot = injector.getInstance(SportsStatsService.class);
        // README end
        return bot;
    }

    static PrometheusMeterRegistry metrics(CachePort port, BalldontlieClient client) {
        // README: metrics
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SharedCache cache = SharedCache.builder(port)
                .statsCounterPerKind(MicrometerStatsCounter.perKind(registry, "sports")) // load-time timers
                .build();
        SharedCacheMetrics.builder(cache, "sports")
                .kinds(SportsKinds.ALL)
                .build()
                .bindTo(registry);
        new UpstreamBudgetMetrics(client.budget(), "balldontlie").bindTo(registry);
        ClientMetrics.of(client).bindTo(registry); // resilience4j.* meters, from the client's registries
        // README end
        return registry;
    }

    static void adapterKit() {
        // README: adapter-kit
        class MyCachePortTest extends CachePortContractKit {
            @Override
            protected CachePort createPort(ManualClock clock) {
                return new InMemoryCachePort(clock); // your port, reading the kit's clock
            }
        }
        // README end
    }
}
