package io.huddle.client;

import io.huddle.core.SharedCache;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Season;
import io.huddle.sports.SportsStatsService;
import io.huddle.testkit.ManualClock;
import java.util.function.UnaryOperator;

/**
 * A bot's whole path over real HTTP: the simulator on a free port, the client pointed at it, the
 * engine on the in-memory reference port with a manual clock, and the service a bot calls.
 */
final class SimulatedStack implements AutoCloseable {
    static final Season SEASON = Season.of(2024);
    static final String API_KEY = "test-key-do-not-log";

    final UpstreamSimulator sim;
    final BalldontlieClient client;
    final ManualClock clock = new ManualClock();
    final SharedCache cache;
    final SportsStatsService service;

    private SimulatedStack(UpstreamSimulator sim, BalldontlieClient client, UnaryOperator<SharedCache.Builder> engine) {
        this.sim = sim;
        this.client = client;
        this.cache = engine.apply(
                        SharedCache.builder(new InMemoryCachePort(clock)).clock(clock))
                .build();
        this.service = new SportsStatsService(cache, client, SEASON);
    }

    /** A stack whose provider has name search or not; the client is sized for a large plan. */
    static SimulatedStack start(boolean nameSearch) {
        return start(nameSearch, sim -> sim, client -> client);
    }

    /**
     * A stack whose engine runs every load, background refreshes included, on the calling thread:
     * a refresh has ended when the request that started it returns.
     */
    static SimulatedStack startLoadingOnCallingThread(boolean nameSearch) {
        return start(nameSearch, sim -> sim, client -> client, engine -> engine.loadExecutor(Runnable::run));
    }

    static SimulatedStack start(
            boolean nameSearch,
            UnaryOperator<UpstreamSimulator.Builder> simulator,
            UnaryOperator<BalldontlieClient.Builder> client) {
        return start(nameSearch, simulator, client, engine -> engine);
    }

    /** A stack whose client sends {@code apiKey}; name search on. */
    static SimulatedStack startWithKey(
            String apiKey,
            UnaryOperator<UpstreamSimulator.Builder> simulator,
            UnaryOperator<BalldontlieClient.Builder> client) {
        return start(apiKey, true, simulator, client, engine -> engine);
    }

    static SimulatedStack start(
            boolean nameSearch,
            UnaryOperator<UpstreamSimulator.Builder> simulator,
            UnaryOperator<BalldontlieClient.Builder> client,
            UnaryOperator<SharedCache.Builder> engine) {
        return start(API_KEY, nameSearch, simulator, client, engine);
    }

    private static SimulatedStack start(
            String apiKey,
            boolean nameSearch,
            UnaryOperator<UpstreamSimulator.Builder> simulator,
            UnaryOperator<BalldontlieClient.Builder> client,
            UnaryOperator<SharedCache.Builder> engine) {
        UpstreamSimulator sim = simulator
                .apply(UpstreamSimulator.builder().nameSearch(nameSearch).rateLimitPerMinute(0))
                .build()
                .start();
        return new SimulatedStack(sim, client(sim, apiKey, nameSearch, client), engine);
    }

    /** Another client of this stack's simulator, beside {@link #client}. */
    BalldontlieClient otherClient(UnaryOperator<BalldontlieClient.Builder> settings) {
        return client(sim, API_KEY, true, settings);
    }

    private static BalldontlieClient client(
            UpstreamSimulator sim,
            String apiKey,
            boolean nameSearch,
            UnaryOperator<BalldontlieClient.Builder> settings) {
        return settings.apply(BalldontlieClient.builder(sim.baseUrl(), apiKey)
                        .requestsPerMinute(60_000)
                        .nameSearch(nameSearch))
                .build();
    }

    /** Upstream calls the simulator has counted since it started or was last reset. */
    long calls() {
        return sim.calls().total();
    }

    @Override
    public void close() {
        cache.close();
        sim.close();
    }
}
