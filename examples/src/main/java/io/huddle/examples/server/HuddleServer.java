package io.huddle.examples.server;

import io.huddle.client.ClientMetrics;
import io.huddle.core.api.CacheStatistics;
import io.huddle.micrometer.MicrometerStatsCounter;
import io.huddle.micrometer.SharedCacheMetrics;
import io.huddle.micrometer.SnapshotMetrics;
import io.huddle.micrometer.UpstreamBudgetMetrics;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.SportsKinds;
import io.huddle.sports.SportsStatsService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The chatbot's server, started: the shared cache and the upstream client ({@link ServerStack}),
 * their meters in a Prometheus registry, and the HTTP server over them ({@link WebApp}). Closing it
 * stops serving and closes the rest.
 */
public final class HuddleServer implements AutoCloseable {
    /** The {@code cache} tag of the engine's meters. */
    static final String CACHE_NAME = "sports";

    /** The {@code budget} tag of the upstream budget's meters. */
    static final String BUDGET_NAME = "balldontlie";

    private final ServerStack stack;
    private final PrometheusMeterRegistry registry;
    private final WebApp web;
    private final String upstream;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private HuddleServer(ServerStack stack, PrometheusMeterRegistry registry, WebApp web, String upstream) {
        this.stack = stack;
        this.registry = registry;
        this.web = web;
        this.upstream = upstream;
    }

    /**
     * Starts a server from a command line (see {@code ./server --help}) and the environment.
     *
     * @throws IllegalArgumentException for a bad option, naming it
     * @throws IllegalStateException if a part cannot start (Redis unreachable, the port taken)
     */
    public static HuddleServer start(String... args) {
        return start(ServerOptions.parse(System.getenv(), args));
    }

    static HuddleServer start(ServerOptions options) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServerStack stack = ServerStack.start(options, MicrometerStatsCounter.perKind(registry, CACHE_NAME));
        try {
            SharedCacheMetrics.builder(stack.cache(), CACHE_NAME)
                    .kinds(SportsKinds.ALL)
                    .build()
                    .bindTo(registry);
            new UpstreamBudgetMetrics(stack.budget(), BUDGET_NAME).bindTo(registry);
            ClientMetrics.of(stack.client()).bindTo(registry);
            stack.backup().ifPresent(backup -> new SnapshotMetrics(backup.schedule()).bindTo(registry));
            stack.startAhead();
            WebApp web = WebApp.start(stack, registry, new LoadTimers(registry, CACHE_NAME), options.port());
            String upstream = stack.simulator()
                    .map(sim -> "upstream-sim in this process (" + options.plan() + " requests a minute)")
                    .orElse("the API at " + options.apiUrl() + " (" + options.plan() + " requests a minute)");
            return new HuddleServer(stack, registry, web, upstream);
        } catch (RuntimeException e) {
            stack.close();
            registry.close();
            throw e;
        }
    }

    /** The port served on. */
    public int port() {
        return web.port();
    }

    /** {@code http://localhost:<port>}. */
    public URI baseUrl() {
        return URI.create("http://localhost:" + port());
    }

    /** The simulator this server asks, when it was started on one. */
    public Optional<UpstreamSimulator> simulator() {
        return stack.simulator();
    }

    /**
     * The sports service the API answers from, over this server's shared cache and upstream client:
     * for callers in this process that want the same answers without HTTP (a benchmark's baseline).
     */
    public SportsStatsService service() {
        return stack.service();
    }

    /** The engine's figures, all kinds together. */
    public CacheStatistics statistics() {
        return stack.cache().stats();
    }

    /** Where the answers come from, in words. */
    String upstreamDescription() {
        return upstream;
    }

    /** Stops serving, then closes the cache, the simulator and the meters. Idempotent. */
    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        try {
            web.close();
        } finally {
            try {
                stack.close();
            } finally {
                registry.close();
            }
        }
    }
}
