package io.huddle.examples.server;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.huddle.client.BalldontlieClient;
import io.huddle.core.SharedCache;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.StatsCounter;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.examples.Backend;
import io.huddle.examples.Failures;
import io.huddle.guice.ApiClientModule;
import io.huddle.guice.SportsServicesModule;
import io.huddle.redis.RedisHuddle;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Season;
import io.huddle.sports.SportsAhead;
import io.huddle.sports.SportsDataPort;
import io.huddle.sports.SportsStatsService;
import java.net.URI;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the server answers from, wired with Guice: the shared cache on the chosen backend, the sports
 * service over it, the client of the upstream (the simulator started here, or the real API) and its
 * budget. Closing it closes the cache and the simulator.
 */
final class ServerStack implements AutoCloseable {
    /** The key prefix of every server of this application on a Redis: they share one cache. */
    static final String KEY_PREFIX = "huddle-server";

    private final ServerOptions options;
    private final UpstreamSimulator simulator;
    private final SharedCache cache;
    private final SportsStatsService service;
    private final BalldontlieClient client;
    private final RedisHuddle redis;
    private final SportsAhead ahead;
    private final Backup backup;

    private ServerStack(
            ServerOptions options, UpstreamSimulator simulator, Injector injector, SharedCache cache, Backup backup) {
        this.options = options;
        this.simulator = simulator;
        this.cache = cache;
        this.service = injector.getInstance(SportsStatsService.class);
        this.client = (BalldontlieClient) injector.getInstance(SportsDataPort.class);
        this.redis = options.backend().usesRedis() ? injector.getInstance(RedisHuddle.class) : null;
        this.ahead = options.ahead() ? SportsAhead.builder(service).build() : null;
        this.backup = backup;
    }

    /**
     * Starts the simulator (unless the real API is asked for) and wires the rest.
     *
     * @param statsCounters the counter each kind's statistics are recorded into
     *
     * @throws IllegalStateException saying what could not be set up (Redis unreachable, say)
     */
    static ServerStack start(
            ServerOptions options, Function<? super DataKind<?>, ? extends StatsCounter> statsCounters) {
        UpstreamSimulator simulator = null;
        URI upstream = options.apiUrl();
        if (options.upstream() == ServerOptions.Upstream.SIM) {
            simulator = UpstreamSimulator.builder()
                    .apiKey(options.apiKey())
                    .nameSearch(options.nameSearch())
                    .latency(options.latency())
                    .rateLimitPerMinute(options.plan())
                    .build()
                    .start();
            upstream = simulator.baseUrl();
        }
        try {
            Injector injector = Guice.createInjector(
                    new SportsServicesModule(Season.of(options.season()), statsCounters),
                    options.backend().module(options.redis(), KEY_PREFIX, options.dataDirectory()),
                    new ApiClientModule(upstream, options.apiKey(), options.plan(), options.nameSearch()));
            SharedCache cache = injector.getInstance(SharedCache.class);
            Backup backup = null;
            try {
                if (options.snapshot() != null) {
                    backup = Backup.restoreAndSchedule(
                            injector.getInstance(CachePort.class),
                            injector.getInstance(InstantSource.class),
                            options.snapshot(),
                            options.snapshotEvery());
                }
                ServerStack stack = new ServerStack(options, simulator, injector, cache, backup);
                if (stack.redis != null && !stack.redis.isReachable()) {
                    throw new IllegalStateException("Redis at "
                            + options.redis().getHost() + ":" + options.redis().getPort() + " does not answer");
                }
                return stack;
            } catch (RuntimeException e) {
                if (backup != null) {
                    backup.close();
                }
                cache.close(); // its threads, and the Redis pool behind it
                throw e;
            }
        } catch (RuntimeException e) {
            if (simulator != null) {
                simulator.close();
            }
            throw new IllegalStateException(
                    "cannot set up the shared cache on " + options.backend() + ": " + Failures.rootMessage(e), e);
        }
    }

    Backend backend() {
        return options.backend();
    }

    Season season() {
        return Season.of(options.season());
    }

    SharedCache cache() {
        return cache;
    }

    SportsStatsService service() {
        return service;
    }

    BalldontlieClient client() {
        return client;
    }

    UpstreamBudget budget() {
        return client.budget();
    }

    /**
     * Starts warming (a pass now, then every few seconds) and prefetch, unless switched off: after
     * anything that fills the cache at start-up, so that warming loads only what is missing.
     */
    void startAhead() {
        if (ahead != null) {
            ahead.start();
        }
    }

    /** Warming and prefetch, unless switched off. */
    Optional<SportsAhead> ahead() {
        return Optional.ofNullable(ahead);
    }

    /** The cache's backup, unless switched off. */
    Optional<Backup> backup() {
        return Optional.ofNullable(backup);
    }

    /** The Redis entry point of the Redis backends. */
    Optional<RedisHuddle> redis() {
        return Optional.ofNullable(redis);
    }

    /** The simulator started here, unless the server asks the real API. */
    Optional<UpstreamSimulator> simulator() {
        return Optional.ofNullable(simulator);
    }

    @Override
    public void close() {
        try {
            if (ahead != null) {
                ahead.close();
            }
            if (backup != null) {
                backup.close(); // the last snapshot, written before the engine closes its port
            }
            cache.close();
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }
}
