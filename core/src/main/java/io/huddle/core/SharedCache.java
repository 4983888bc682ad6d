package io.huddle.core;

import io.huddle.core.api.AheadResult;
import io.huddle.core.api.BulkLoader;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CacheLoadTimeoutException;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.ConcurrentStatsCounter;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.api.StatsCounter;
import io.huddle.core.internal.Arguments;
import io.huddle.core.memory.InProcessInvalidationBus;
import io.huddle.core.memory.InProcessLoadCoordinator;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.BusStatistics;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.core.spi.Invalidation;
import io.huddle.core.spi.InvalidationBus;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.UpstreamBudget;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The shared-cache engine: what applications call. One instance serves every user of a process; with
 * a shared backend it serves every server.
 *
 * <p>Its rules, for a request of one key:
 *
 * <ol>
 *   <li>A fresh entry is returned at once (a hit; a cached "not found" is a negative hit).
 *   <li>With no usable entry, exactly one load per key runs at a time, whoever asks (single flight,
 *       through the {@link LoadCoordinator}); the other callers wait for its outcome, at most the
 *       policy's load timeout, and are counted as coalesced.
 *   <li>An entry past its ttl but within stale-while-revalidate is returned at once, and one
 *       background refresh starts. The caller's thread does nothing more: the refresh's claim,
 *       recheck and load run on the background executor, which is bounded; when it is full the
 *       refresh is skipped and counted ({@link CacheStatistics#refreshesSkipped()}).
 *   <li>When a load fails, times out or is throttled, or outlasts the policy's soft timeout, an entry
 *       within stale-if-error is served;
 *       otherwise the caller gets a {@link CacheLoadException} naming kind, key and cause. After such
 *       a failure the stale value is served without a new attempt for the policy's fail-safe
 *       throttle ({@link CacheStatistics#failSafeThrottled()}).
 *   <li>A load that runs past the policy's maximum load time is abandoned: its waiters get a {@link
 *       CacheLoadTimeoutException} or a stale value, its claim is released and the key is free for
 *       the next caller; a result that comes later is stored only if nothing newer was meanwhile.
 *   <li>Loads run with the {@link UpstreamBudget.Priority} of their purpose: {@code USER} when a
 *       user waits for them, {@code BACKGROUND} for refreshes, warming and prefetch (and for a load
 *       a background caller waits for: a lookup inside a background load). A background load the
 *       budget refuses ({@link io.huddle.core.spi.PermitRefusedException}) is counted as skipped
 *       for budget, not as a failure; a user waiting on it loads the key at user priority.
 *   <li>{@link #warm} and {@link #prefetch} load a key ahead of users on the background executor,
 *       through the same single flight and lease as user loads (a server that finds another's lease
 *       does nothing), never waited on; each kind's policy may switch them off.
 *   <li>A loader's "not found" is remembered for the negative ttl.
 *   <li>A failing backend is logged once per burst, counted, and treated as a miss: it never fails
 *       the caller.
 *   <li>Time comes from the injected {@link InstantSource}.
 * </ol>
 *
 * <p>Thread-safe. Build one with {@link #builder(CachePort)}; close it to stop its loader threads and
 * close its backend.
 */
public final class SharedCache implements AutoCloseable {
    private final Backend backend;
    private final InstantSource clock;
    private final LoadCoordinator coordinator;
    private final InvalidationBus bus;
    private final InvalidationBus.Subscription subscription;
    private final EngineThreads threads;
    private final Kinds kinds;
    private final Reads reads;
    private final HitClock hitClock;
    private final Ahead ahead;
    private volatile boolean closed;

    private SharedCache(Builder builder) {
        this.clock = builder.clock;
        this.coordinator = builder.coordinator;
        this.bus = builder.bus;
        this.kinds = new Kinds(builder.policyOverrides, builder.statsCounters);
        this.backend =
                new Backend(builder.backend, clock, bus, UUID.randomUUID().toString());
        this.threads = new EngineThreads(
                builder.loadExecutor,
                builder.backgroundExecutor,
                builder.loaderThreads,
                builder.backgroundThreads,
                builder.backgroundQueue);
        FailSafeThrottle throttle = new FailSafeThrottle();
        Loads loads = new Loads(backend, clock, threads.loads, threads.deadlines, throttle);
        Flights flights = new Flights(coordinator, backend, loads, throttle, clock);
        Refresher refresher = new Refresher(threads.background, coordinator, backend, loads, throttle);
        this.ahead = new Ahead(backend, refresher, throttle, clock);
        this.hitClock = HitClock.of(clock);
        this.reads = new Reads(backend, flights, loads, refresher, throttle, clock, hitClock);
        this.subscription = bus.subscribe(new BusListener(backend, kinds, () -> closed)::onInvalidation);
    }

    /** A builder over the given backend; every other part has an in-process default. */
    public static Builder builder(CachePort backend) {
        return new Builder(backend);
    }

    /**
     * The value of {@code kind} with {@code id}, from the cache or from the loader.
     *
     * @return the value, or empty if the upstream has no such item (a cached "not found" included)
     * @throws CacheLoadException if the value had to be loaded, the load failed or timed out, and no
     *     stale value could be served
     * @throws IllegalArgumentException if the id is blank, too long or holds control characters
     * @throws IllegalStateException if the cache is closed
     */
    public <V> Optional<V> get(DataKind<V> kind, String id, Loader<V> loader) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(loader, "loader");
        // the id is checked (new CacheKey) when the hit path does not answer
        return reads.get(kind, state(kind), id, loader);
    }

    /**
     * The values of {@code kind} with the given ids, from the cache or from one call of the bulk
     * loader for the ids that must be loaded. Each id counts as one request, with the same rules as
     * {@link #get}.
     *
     * @return the values found, by id; ids the upstream does not have are absent
     * @throws CacheLoadException for the first id whose value had to be loaded and could not be, when
     *     no stale value could be served; the other ids were still loaded and cached
     */
    public <V> Map<String, V> getAll(DataKind<V> kind, Collection<String> ids, BulkLoader<V> loader) {
        Objects.requireNonNull(loader, "loader");
        Map<String, CacheKey> keys = Reads.keysOf(kind, ids);
        if (keys.isEmpty()) {
            return Map.of();
        }
        return reads.getAll(kind, state(kind), keys, LoadCall.bulk(loader));
    }

    /**
     * Warms a key: loads it in the background, at background priority, unless it stays fresh for
     * more than {@code refreshAhead} of the kind's ttl from now (refresh-ahead: with 0.2 and a ttl of
     * an hour, an entry is reloaded once it has less than 12 minutes left). Returns at once; the load
     * runs on the background executor through single flight and the load coordinator, so that across
     * servers one load per key runs, and a server that finds another's lease does nothing. Counted in
     * the kind's statistics ({@link CacheStatistics#warmLoads()}, {@link
     * CacheStatistics#aheadSkippedFull()}, {@link CacheStatistics#aheadSwitchedOff()}, {@link
     * CacheStatistics#skippedForBudget()}).
     *
     * @param refreshAhead the fraction of the ttl, in {@code [0, 1]}, within which a fresh entry is
     *     refreshed
     * @return what was done at once
     * @throws IllegalArgumentException if the id is not a valid key or the fraction is out of range
     * @throws IllegalStateException if the cache is closed
     */
    public <V> AheadResult warm(DataKind<V> kind, String id, double refreshAhead, Loader<V> loader) {
        Objects.requireNonNull(loader, "loader");
        if (!(refreshAhead >= 0.0 && refreshAhead <= 1.0)) {
            throw new IllegalArgumentException("refreshAhead must be in [0, 1], was " + refreshAhead);
        }
        CacheKey key = new CacheKey(kind, id);
        return ahead.warm(kind, state(kind), key, refreshAhead, loader);
    }

    /**
     * Prefetches a key a user is likely to ask for next: loads it in the background, at background
     * priority, unless it is fresh; as {@link #warm} otherwise. A prefetch started is later counted
     * used if a request finds the key fresh within the kind's ttl, else unused ({@link
     * CacheStatistics#prefetchesStarted()}, {@link CacheStatistics#prefetchesUsed()}, {@link
     * CacheStatistics#prefetchesUnused()}).
     *
     * @return what was done at once
     * @throws IllegalArgumentException if the id is not a valid key
     * @throws IllegalStateException if the cache is closed
     */
    public <V> AheadResult prefetch(DataKind<V> kind, String id, Loader<V> loader) {
        Objects.requireNonNull(loader, "loader");
        CacheKey key = new CacheKey(kind, id);
        return ahead.prefetch(kind, state(kind), key, loader);
    }

    /** Drops the entry of {@code kind} with {@code id} here and, through the bus, on other servers. */
    public void invalidate(DataKind<?> kind, String id) {
        CacheKey key = new CacheKey(kind, id);
        KindState state = state(kind);
        backend.run("invalidate", key, state.stats, () -> backend.port.invalidate(key));
        bus.publish(Invalidation.ofKey(backend.origin, key));
    }

    /** Drops every entry of {@code kind} here and, through the bus, on other servers. */
    public void invalidateAll(DataKind<?> kind) {
        KindState state = state(kind);
        backend.run("invalidate kind", kind, state.stats, () -> backend.port.invalidateKind(kind));
        bus.publish(Invalidation.ofKind(backend.origin, kind));
    }

    /**
     * Stores values learnt on the side, without a load: for example every player on a roster that
     * was fetched for another reason. Each becomes a fresh entry under the kind's policy, with the
     * given cost, replacing any other; callers waiting for a load of the same key are not affected.
     */
    public <V> void putAll(DataKind<V> kind, Map<String, V> values, int costEach) {
        KindState state = state(kind);
        Instant now = clock.instant();
        long freshMillis = state.entries.freshMillis();
        values.forEach((id, value) -> {
            CacheKey key = new CacheKey(kind, id);
            CacheEntry<V> entry =
                    state.entries.entryFor(Loaded.of(KindState.cast(kind, value), costEach), now, freshMillis);
            backend.write(key, entry, state.stats, now, Optional.empty());
        });
    }

    /** The policy in force for the kind: the application's override, else the kind's default. */
    public CachePolicy policy(DataKind<?> kind) {
        return kinds.policy(kind);
    }

    /** Statistics of one kind; all zero for a kind never asked for. */
    public CacheStatistics stats(DataKind<?> kind) {
        KindState state = kinds.find(kind.name());
        CacheStatistics engine = state == null ? CacheStatistics.EMPTY : state.stats.snapshot();
        return engine.plus(Backend.countsOf(backend.statistics(), kind.name()));
    }

    /** Statistics of every kind asked for so far, by kind name. */
    public Map<String, CacheStatistics> statsByKind() {
        BackendStatistics counts = backend.statistics();
        Map<String, CacheStatistics> byKind = new HashMap<>();
        for (KindState state : kinds.all()) {
            byKind.put(state.kind.name(), state.stats.snapshot().plus(Backend.countsOf(counts, state.kind.name())));
        }
        return Map.copyOf(byKind);
    }

    /**
     * Statistics of all kinds together. Entries, evictions and unreadable entries are the backend's
     * totals, which may include kinds this engine has not asked for (another server's, in a shared
     * backend).
     */
    public CacheStatistics stats() {
        CacheStatistics total = CacheStatistics.EMPTY;
        for (KindState state : kinds.all()) {
            total = total.plus(state.stats.snapshot());
        }
        return total.plus(Backend.totalsOf(backend.statistics()));
    }

    /**
     * What the load coordinator has done since it was made: leases taken, waits on other servers,
     * holders lost, fallbacks (all zero for the in-process coordinator). Subtract two snapshots
     * with {@link CoordinatorStatistics#minus} for what happened between them.
     */
    public CoordinatorStatistics coordinatorStatistics() {
        return coordinator.statistics();
    }

    /**
     * What the invalidation bus has done since it was made: messages sent, failed, received, losses
     * detected, unreadable messages (all zero for the in-process bus).
     */
    public BusStatistics busStatistics() {
        return bus.statistics();
    }

    /** Stops the loader threads this cache made, leaves the bus, and closes the backend. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        hitClock.close();
        subscription.close();
        threads.shutdown();
        backend.port.close();
    }

    private KindState state(DataKind<?> kind) {
        if (closed) {
            throw new IllegalStateException("this SharedCache is closed");
        }
        return kinds.state(kind);
    }

    /**
     * Builds a {@link SharedCache}. Defaults: the system clock, in-process single flight, an
     * in-process invalidation bus, up to 64 daemon loader threads for loads that callers wait on, 2
     * daemon threads with a queue of 256 for background refreshes, each kind's own policy. Not
     * thread-safe.
     */
    public static final class Builder {
        private final CachePort backend;
        private InstantSource clock = InstantSource.system();
        private LoadCoordinator coordinator = new InProcessLoadCoordinator();
        private InvalidationBus bus = new InProcessInvalidationBus();
        private Executor loadExecutor;
        private Executor backgroundExecutor;
        private int loaderThreads = 64;
        private int backgroundThreads = 2;
        private int backgroundQueue = 256;
        private final Map<String, CachePolicy> policyOverrides = new HashMap<>();
        private Function<? super DataKind<?>, ? extends StatsCounter> statsCounters =
                kind -> new ConcurrentStatsCounter();

        private Builder(CachePort backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /** The clock entries are dated by; inject a {@code ManualClock} in tests. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Who loads a key; the default is single flight within this process. */
        public Builder coordinator(LoadCoordinator coordinator) {
            this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
            return this;
        }

        /** How invalidations reach other engines; the default reaches only this process. */
        public Builder invalidationBus(InvalidationBus bus) {
            this.bus = Objects.requireNonNull(bus, "bus");
            return this;
        }

        /**
         * Where loads that callers wait on run, and background refreshes too unless {@link
         * #backgroundExecutor} is set. The caller owns it: the cache does not shut it down. A load it
         * rejects fails its callers (or serves them stale). The default is a pool of up to {@link
         * #loaderThreads} daemon threads that the cache shuts down when closed.
         */
        public Builder loadExecutor(Executor executor) {
            this.loadExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Where background refreshes run: their claim, recheck and load. A refresh it rejects is
         * skipped and counted ({@link CacheStatistics#refreshesSkipped()}); give a bounded one. The
         * caller owns it. The default is {@link #backgroundThreads} daemon threads with a bounded
         * queue, shut down with the cache.
         */
        public Builder backgroundExecutor(Executor executor) {
            this.backgroundExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The most threads of the default loader pool: loads callers wait on that run at once; as
         * many more wait for a thread, and a load past those fails its callers (or serves them
         * stale) with a {@code CacheLoadException}. Default 64.
         */
        public Builder loaderThreads(int threads) {
            this.loaderThreads = Arguments.positive("loaderThreads", threads);
            return this;
        }

        /**
         * The default background executor's threads and the refreshes it queues before it skips
         * more. Defaults 2 and 256.
         */
        public Builder backgroundThreads(int threads, int queued) {
            this.backgroundThreads = Arguments.positive("backgroundThreads", threads);
            this.backgroundQueue = Arguments.positive("background queue", queued);
            return this;
        }

        /** Replaces the kind's default policy. */
        public Builder policy(DataKind<?> kind, CachePolicy policy) {
            policyOverrides.put(kind.name(), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Where each kind's statistics are recorded, for counters that need not know their kind: the
         * supplier is called once per kind, when the kind is first asked for, and must return a new
         * counter each time. The same as {@link #statsCounterPerKind} with a factory that ignores the
         * kind; the last of the two called wins.
         */
        public Builder statsCounter(Supplier<? extends StatsCounter> counters) {
            Objects.requireNonNull(counters, "counters");
            return statsCounterPerKind(kind -> counters.get());
        }

        /**
         * Where each kind's statistics are recorded: {@code counters} is called once per kind, with the
         * kind, when the kind is first asked for (on the thread of that first request), and must return
         * a new counter each time, never null. {@link SharedCache#stats(DataKind)} reports what the
         * kind's counter's {@link StatsCounter#snapshot snapshot} says, with the backend's counts. A
         * counter that exports the events (a load-time timer tagged with the kind, say) delegates its
         * counting to a {@link ConcurrentStatsCounter}. The default makes a {@link
         * ConcurrentStatsCounter} per kind. The last of this and {@link #statsCounter} called wins.
         */
        public Builder statsCounterPerKind(Function<? super DataKind<?>, ? extends StatsCounter> counters) {
            this.statsCounters = Objects.requireNonNull(counters, "counters");
            return this;
        }

        /** The cache. */
        public SharedCache build() {
            return new SharedCache(this);
        }
    }
}
