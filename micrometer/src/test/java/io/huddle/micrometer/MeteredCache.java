package io.huddle.micrometer;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.StatsCounter;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.memory.InProcessInvalidationBus;
import io.huddle.core.memory.InProcessLoadCoordinator;
import io.huddle.core.spi.BusStatistics;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.core.spi.Invalidation;
import io.huddle.core.spi.InvalidationBus;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.testkit.ManualClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A cache on the in-process backend with a manual clock, its load timers and its binder in one
 * registry, bound as the package's documented sequence says. The registry's clock is a {@link
 * MockClock}: {@link #later()} moves it past the binder's snapshot age, as the next scrape would
 * find it.
 */
final class MeteredCache implements AutoCloseable {
    static final String NAME = "sports";

    /** Fresh a minute, then served stale for a minute while it refreshes, and after a failure. */
    static final DataKind<String> WORDS = DataKind.of(
            "words",
            String.class,
            CachePolicy.builder(Duration.ofMinutes(1))
                    .staleWhileRevalidate(Duration.ofMinutes(1))
                    .staleIfError(Duration.ofMinutes(10))
                    .negativeTtl(Duration.ofMinutes(10))
                    .loadTimeout(Duration.ofSeconds(30))
                    .build());

    static final DataKind<Integer> NUMBERS =
            DataKind.of("numbers", Integer.class, CachePolicy.ofTtl(Duration.ofMinutes(1)));

    final ManualClock clock = new ManualClock();
    final MockClock registryClock = new MockClock();
    final MeterRegistry registry;
    final CountingCoordinator coordinator = new CountingCoordinator();
    final CountingBus bus = new CountingBus();
    final SharedCache cache;

    private MeteredCache(
            Function<MockClock, MeterRegistry> registry,
            Function<MeterRegistry, Function<DataKind<?>, StatsCounter>> counters,
            Consumer<SharedCache.Builder> engine) {
        this.registry = registry.apply(registryClock);
        SharedCache.Builder builder = SharedCache.builder(new InMemoryCachePort(clock))
                .clock(clock)
                .coordinator(coordinator)
                .invalidationBus(bus)
                .statsCounterPerKind(counters.apply(this.registry));
        engine.accept(builder);
        this.cache = builder.build();
        SharedCacheMetrics.builder(cache, NAME).kinds(WORDS, NUMBERS).build().bindTo(this.registry);
    }

    /**
     * The documented sequence on a simple registry; loads (and refreshes) run on the calling thread,
     * so a refresh has ended when the request that started it returns.
     */
    static MeteredCache start() {
        return start(engine -> engine.loadExecutor(Runnable::run));
    }

    /** The documented sequence on a simple registry, the engine set up by {@code engine}. */
    static MeteredCache start(Consumer<SharedCache.Builder> engine) {
        return new MeteredCache(MeteredCache::simpleRegistry, MeteredCache::loadTimers, engine);
    }

    /** The documented sequence on the registry {@code registry} makes on the given clock. */
    static MeteredCache on(Function<MockClock, MeterRegistry> registry) {
        return new MeteredCache(registry, MeteredCache::loadTimers, engine -> engine.loadExecutor(Runnable::run));
    }

    /** The registry {@code registry} makes, the kinds' counters made by {@code counters} instead of the load timers. */
    static MeteredCache withCounters(
            Function<MockClock, MeterRegistry> registry, Function<DataKind<?>, StatsCounter> counters) {
        return new MeteredCache(registry, r -> counters, engine -> engine.loadExecutor(Runnable::run));
    }

    static PrometheusMeterRegistry prometheusRegistry(MockClock clock) {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
    }

    static MeterRegistry simpleRegistry(MockClock clock) {
        return new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    }

    private static Function<DataKind<?>, StatsCounter> loadTimers(MeterRegistry registry) {
        return MicrometerStatsCounter.perKind(registry, NAME);
    }

    /** Moves the registry's clock past the binder's snapshot age: the next reading is a new one. */
    void later() {
        registryClock.add(SharedCacheMetrics.DEFAULT_MAX_SNAPSHOT_AGE);
    }

    /** A per-kind function counter's value as the next scrape reads it. */
    double count(String name, DataKind<?> kind, String... tags) {
        later();
        return registry.get(name)
                .tags(Tags.of("cache", NAME, "kind", kind.name()).and(tags))
                .functionCounter()
                .count();
    }

    /** A per-kind gauge's value as the next scrape reads it. */
    double gauge(String name, DataKind<?> kind) {
        later();
        return registry.get(name)
                .tags("cache", NAME, "kind", kind.name())
                .gauge()
                .value();
    }

    /** A cache-wide function counter's value (the coordinator's, the bus's) as the next scrape reads it. */
    double cacheCount(String name) {
        later();
        return registry.get(name).tags("cache", NAME).functionCounter().count();
    }

    @Override
    public void close() {
        cache.close();
        registry.close();
    }

    /**
     * The in-process coordinator, counting the claims made (so a test can hold a load until a second
     * caller has claimed) and reporting the claims it led as leases taken; its statistics can be made
     * to fail.
     */
    static final class CountingCoordinator implements LoadCoordinator {
        private final LoadCoordinator delegate = new InProcessLoadCoordinator();
        private final AtomicInteger led = new AtomicInteger();
        private volatile CountDownLatch claimed = new CountDownLatch(0);
        volatile boolean failing;

        /** A latch that opens once {@code count} more claims have been made. */
        CountDownLatch expectClaims(int count) {
            claimed = new CountDownLatch(count);
            return claimed;
        }

        @Override
        public Claim claim(CacheKey key) {
            Claim claim = delegate.claim(key);
            if (claim.isLeader()) {
                led.incrementAndGet();
            }
            claimed.countDown();
            return claim;
        }

        @Override
        public CoordinatorStatistics statistics() {
            if (failing) {
                throw new IllegalStateException("the coordinator's store is down");
            }
            return new CoordinatorStatistics(led.get(), 0, 0, 0, 0);
        }
    }

    /** The in-process bus, reporting what was published as sent. */
    static final class CountingBus implements InvalidationBus {
        private final InvalidationBus delegate = new InProcessInvalidationBus();
        private final AtomicInteger sent = new AtomicInteger();

        @Override
        public void publish(Invalidation invalidation) {
            sent.incrementAndGet();
            delegate.publish(invalidation);
        }

        @Override
        public Subscription subscribe(Consumer<Invalidation> listener) {
            return delegate.subscribe(listener);
        }

        @Override
        public BusStatistics statistics() {
            return new BusStatistics(sent.get(), 0, 0, 0, 0);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Waits on a latch, failing the test instead of hanging it. */
    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out waiting on a latch");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
