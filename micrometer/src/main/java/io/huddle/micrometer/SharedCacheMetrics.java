package io.huddle.micrometer;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.BusStatistics;
import io.huddle.core.spi.CoordinatorStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The meters of one {@link SharedCache}, read from its statistics snapshots, after Micrometer's
 * {@code CaffeineCacheMetrics}: per kind ({@code cache}, {@code kind} tags) the requests by outcome,
 * loads, upstream calls made and saved, entries and the backend's counts; per cache ({@code cache}
 * tag) the lease coordinator's and the invalidation bus's counts. Every name, type and tag is in
 * the {@linkplain io.huddle.micrometer package's table}.
 *
 * <p>Nothing is recorded here: each meter reads the engine's own counters when the registry asks,
 * so the hit path costs nothing more. One scrape reads the cache's statistics once (a snapshot is
 * reused for {@link Builder#maxSnapshotAge}, by the registry's clock), since counting a shared
 * backend's entries may cost it a scan. A read that fails never fails the scrape: counters keep their
 * last values, gauges read {@code NaN}, and the failure is logged once per burst.
 *
 * <p>The kinds reported are those {@linkplain Builder#kinds given} and those the cache has been
 * asked for when the binder is bound; the engine learns of a kind on its first request, so give the
 * kinds the application uses, or their meters will be missing until a binder is bound again. The
 * load-time timer ({@code huddle.cache.load.duration}) needs the events and comes from {@link
 * MicrometerStatsCounter}; this binder registers no meter of that name.
 *
 * <pre>{@code
 * SharedCache cache = SharedCache.builder(port)
 *         .statsCounterPerKind(MicrometerStatsCounter.perKind(registry, "sports")) // load times
 *         .build();
 * SharedCacheMetrics.builder(cache, "sports").kinds(kinds).build().bindTo(registry); // the rest
 * }</pre>
 *
 * <p>The meters hold the cache weakly, as Micrometer's own binders do: a cache the application has
 * dropped is no longer read (its gauges read {@code NaN}). Bind one binder per cache name to a registry: a second cache of the
 * same name would find the first one's meters already there and report through them. Thread-safe.
 */
public final class SharedCacheMetrics implements MeterBinder {
    /** How long a snapshot of the cache's statistics serves the meters by default. */
    public static final Duration DEFAULT_MAX_SNAPSHOT_AGE = Duration.ofSeconds(1);

    /** A counter per kind: its name, its {@code result} tag (null for none), its description. */
    private record KindCounter(String name, String result, String description, ToLongFunction<CacheStatistics> count) {}

    private static final List<KindCounter> KIND_COUNTERS = List.of(
            new KindCounter(
                    "huddle.cache.requests", "hit", "Requests answered with a fresh value", CacheStatistics::hits),
            new KindCounter(
                    "huddle.cache.requests",
                    "negative_hit",
                    "Requests answered \"not found\" from a fresh not-found entry",
                    CacheStatistics::negativeHits),
            new KindCounter(
                    "huddle.cache.requests",
                    "stale",
                    "Requests answered with an expired value (stale-while-revalidate or stale-if-error)",
                    CacheStatistics::staleServed),
            new KindCounter(
                    "huddle.cache.requests",
                    "coalesced",
                    "Requests that waited for a load another request had started",
                    CacheStatistics::coalescedWaits),
            new KindCounter(
                    "huddle.cache.requests",
                    "miss",
                    "Requests that started a load themselves",
                    CacheStatistics::misses),
            new KindCounter("huddle.cache.loads", null, "Loader calls started", CacheStatistics::loads),
            new KindCounter(
                    "huddle.cache.load.failures",
                    null,
                    "Loader calls that threw or returned nothing",
                    CacheStatistics::loadFailures),
            new KindCounter(
                    "huddle.cache.loads.abandoned",
                    null,
                    "Loads that ran past the policy's maximum load time and were abandoned",
                    CacheStatistics::loadsAbandoned),
            new KindCounter(
                    "huddle.cache.upstream.calls",
                    null,
                    "Upstream calls made by loader calls that succeeded",
                    CacheStatistics::upstreamCalls),
            new KindCounter(
                    "huddle.cache.upstream.calls.saved",
                    null,
                    "Upstream calls the entries that answered requests without a load of their own had cost",
                    CacheStatistics::upstreamCallsSaved),
            new KindCounter(
                    "huddle.cache.evictions",
                    null,
                    "Entries the backend removed for size or expiry",
                    CacheStatistics::evictions),
            new KindCounter(
                    "huddle.cache.unreadable",
                    null,
                    "Reads that found an entry the backend could not decode",
                    CacheStatistics::unreadable),
            new KindCounter(
                    "huddle.cache.backend.errors",
                    null,
                    "Calls to the backend that failed (treated as misses or skipped)",
                    CacheStatistics::backendErrors),
            new KindCounter(
                    "huddle.cache.failsafe.throttled",
                    null,
                    "Requests that made no new attempt because their key's last load failed within the fail-safe"
                            + " throttle",
                    CacheStatistics::failSafeThrottled),
            new KindCounter(
                    "huddle.cache.refreshes.skipped",
                    null,
                    "Background refreshes skipped because the background executor was full",
                    CacheStatistics::refreshesSkipped),
            new KindCounter(
                    "huddle.cache.warm.loads",
                    null,
                    "Loads ahead of users run by warming (the loader returned)",
                    CacheStatistics::warmLoads),
            new KindCounter(
                    "huddle.cache.prefetches", "started", "Prefetches started", CacheStatistics::prefetchesStarted),
            new KindCounter(
                    "huddle.cache.prefetches",
                    "used",
                    "Prefetched keys a request then found fresh",
                    CacheStatistics::prefetchesUsed),
            new KindCounter(
                    "huddle.cache.prefetches",
                    "unused",
                    "Prefetched keys no request found fresh within the ttl",
                    CacheStatistics::prefetchesUnused),
            new KindCounter(
                    "huddle.cache.ahead.skipped",
                    "executor_full",
                    "Warm loads and prefetches not started, the background executor full",
                    CacheStatistics::aheadSkippedFull),
            new KindCounter(
                    "huddle.cache.ahead.skipped",
                    "switched_off",
                    "Warm loads and prefetches not started, switched off by the kind's policy",
                    CacheStatistics::aheadSwitchedOff),
            new KindCounter(
                    "huddle.cache.background.skipped.budget",
                    null,
                    "Background loads (refreshes, warming, prefetch) the upstream budget refused a permit",
                    CacheStatistics::skippedForBudget));

    private record Counter<T>(String name, String description, ToLongFunction<T> count) {}

    private static final List<Counter<CoordinatorStatistics>> COORDINATOR_COUNTERS = List.of(
            new Counter<>(
                    "huddle.coordinator.leases.taken",
                    "Loads this process led holding the shared lease of their key",
                    CoordinatorStatistics::leasesTaken),
            new Counter<>(
                    "huddle.coordinator.leases.lost",
                    "Leases found no longer held when their load ended",
                    CoordinatorStatistics::leasesLost),
            new Counter<>(
                    "huddle.coordinator.remote.waits",
                    "Loads this process waited for because another server held the lease",
                    CoordinatorStatistics::waitsOnOtherServers),
            new Counter<>(
                    "huddle.coordinator.holders.lost",
                    "Waits that ended because the holder's lease expired without a value",
                    CoordinatorStatistics::holdersLost),
            new Counter<>(
                    "huddle.coordinator.fallbacks",
                    "Claims decided in this process alone because the shared store was unreachable",
                    CoordinatorStatistics::fallbacks));

    private static final List<Counter<BusStatistics>> BUS_COUNTERS = List.of(
            new Counter<>("huddle.bus.sent", "Invalidations sent to the other servers", BusStatistics::sent),
            new Counter<>(
                    "huddle.bus.send.failures", "Invalidations that could not be sent", BusStatistics::sendFailures),
            new Counter<>(
                    "huddle.bus.received",
                    "Invalidations from other servers handed to this process",
                    BusStatistics::received),
            new Counter<>(
                    "huddle.bus.losses",
                    "Times messages were found missing or unreadable, so every local copy was distrusted",
                    BusStatistics::lossesDetected),
            new Counter<>("huddle.bus.unreadable", "Messages that could not be read", BusStatistics::unreadable));

    private final SharedCache cache;
    private final String cacheName;
    private final List<DataKind<?>> kinds;
    private final Tags tags;
    private final Duration maxSnapshotAge;

    private SharedCacheMetrics(Builder builder) {
        this.cache = builder.cache;
        this.cacheName = builder.cacheName;
        this.kinds = List.copyOf(builder.kinds);
        this.tags = builder.tags.and("cache", cacheName);
        this.maxSnapshotAge = builder.maxSnapshotAge;
    }

    /**
     * A builder of the meters of {@code cache}, tagged {@code cache=cacheName}.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    public static Builder builder(SharedCache cache, String cacheName) {
        return new Builder(cache, cacheName);
    }

    /**
     * Registers every meter of the {@linkplain io.huddle.micrometer table} but the load timer: the
     * coordinator's and the bus's, and each kind's for the kinds given and those asked for so far.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        List<DataKind<?>> given = kinds; // the meters must not reach this binder, which holds the cache
        Reading<SharedCache, Map<String, CacheStatistics>> byKind = new Reading<>(
                "the statistics of cache '" + cacheName + "'",
                c -> statisticsByKind(c, given),
                Map.of(),
                registry.config().clock(),
                maxSnapshotAge);
        for (String kind : kindNames()) {
            Tags kindTags = tags.and("kind", kind);
            for (KindCounter counter : KIND_COUNTERS) {
                Tags counterTags = counter.result() == null ? kindTags : kindTags.and("result", counter.result());
                FunctionCounter.builder(
                                counter.name(),
                                cache,
                                c -> byKind.counter(
                                        c,
                                        stats -> counter.count()
                                                .applyAsLong(stats.getOrDefault(kind, CacheStatistics.EMPTY))))
                        .tags(counterTags)
                        .description(counter.description())
                        .register(registry);
            }
            Gauge.builder(
                            "huddle.cache.entries",
                            cache,
                            c -> byKind.gauge(
                                    c,
                                    stats -> stats.getOrDefault(kind, CacheStatistics.EMPTY)
                                            .entries()))
                    .tags(kindTags)
                    .description("Entries the backend holds (0 for a backend that cannot count them)")
                    .register(registry);
        }
        register(
                registry,
                COORDINATOR_COUNTERS,
                new Reading<>(
                        "the coordinator statistics of cache '" + cacheName + "'",
                        SharedCache::coordinatorStatistics,
                        CoordinatorStatistics.EMPTY,
                        registry.config().clock(),
                        maxSnapshotAge));
        register(
                registry,
                BUS_COUNTERS,
                new Reading<>(
                        "the bus statistics of cache '" + cacheName + "'",
                        SharedCache::busStatistics,
                        BusStatistics.EMPTY,
                        registry.config().clock(),
                        maxSnapshotAge));
    }

    private <T> void register(MeterRegistry registry, List<Counter<T>> counters, Reading<SharedCache, T> reading) {
        for (Counter<T> counter : counters) {
            FunctionCounter.builder(
                            counter.name(),
                            cache,
                            c -> reading.counter(c, stats -> counter.count().applyAsLong(stats)))
                    .tags(tags)
                    .description(counter.description())
                    .register(registry);
        }
    }

    /** The kinds given, then those asked for so far (none if the cache cannot say). */
    private Set<String> kindNames() {
        Set<String> names = new LinkedHashSet<>();
        kinds.forEach(kind -> names.add(kind.name()));
        try {
            names.addAll(cache.statsByKind().keySet());
        } catch (RuntimeException e) {
            // the kinds given are still reported; the reading logs the failure when it is read
        }
        return names;
    }

    /**
     * Every kind's statistics in one read of the backend's counts; a kind given but not asked for
     * yet costs a read of its own (it may have entries other servers wrote), until it is asked for.
     */
    private static Map<String, CacheStatistics> statisticsByKind(SharedCache cache, List<DataKind<?>> kinds) {
        Map<String, CacheStatistics> byKind = new HashMap<>(cache.statsByKind());
        for (DataKind<?> kind : kinds) {
            if (!byKind.containsKey(kind.name())) {
                byKind.put(kind.name(), cache.stats(kind));
            }
        }
        return byKind;
    }

    @Override
    public String toString() {
        return "SharedCacheMetrics{cache=" + cacheName + ", kinds=" + kinds + "}";
    }

    /** Builds a {@link SharedCacheMetrics}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final SharedCache cache;
        private final String cacheName;
        private final Set<DataKind<?>> kinds = new LinkedHashSet<>();
        private Tags tags = Tags.empty();
        private Duration maxSnapshotAge = DEFAULT_MAX_SNAPSHOT_AGE;

        private Builder(SharedCache cache, String cacheName) {
            this.cache = Objects.requireNonNull(cache, "cache");
            this.cacheName = Arguments.notBlank("cacheName", cacheName);
        }

        /**
         * Kinds to report from the start, whether or not the cache has been asked for them yet (their
         * counters read zero until then). Kinds the cache has been asked for when the binder is bound
         * are reported too. Adds to those given before.
         */
        public Builder kinds(Collection<? extends DataKind<?>> kinds) {
            Objects.requireNonNull(kinds, "kinds")
                    .forEach(kind -> this.kinds.add(Objects.requireNonNull(kind, "kind")));
            return this;
        }

        /** See {@link #kinds(Collection)}. */
        public Builder kinds(DataKind<?>... kinds) {
            return kinds(List.of(kinds));
        }

        /**
         * Tags added to every meter, such as the application's name. The binder's own tags ({@code
         * cache}, {@code kind}, {@code result}) win over tags of the same key. Default none.
         */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        /**
         * How long one snapshot of the cache's statistics serves its meters, by the registry's clock:
         * the meters of one scrape agree and the backend is asked once. Zero reads anew for every
         * meter. Default {@link SharedCacheMetrics#DEFAULT_MAX_SNAPSHOT_AGE} (1 s).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxSnapshotAge(Duration age) {
            this.maxSnapshotAge = Arguments.notNegative("maxSnapshotAge", age);
            return this;
        }

        /** The binder; bind it with {@link SharedCacheMetrics#bindTo}. */
        public SharedCacheMetrics build() {
            return new SharedCacheMetrics(this);
        }
    }
}
