package io.huddle.core;

import io.huddle.core.api.BulkLoaded;
import io.huddle.core.api.BulkLoader;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CacheLoadTimeoutException;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.internal.Arguments;
import io.huddle.core.internal.QuietLog;
import io.huddle.core.memory.InProcessInvalidationBus;
import io.huddle.core.memory.InProcessLoadCoordinator;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.Fence;
import io.huddle.core.spi.Invalidation;
import io.huddle.core.spi.InvalidationBus;
import io.huddle.core.spi.LoadAbandonedException;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.UpstreamBudget;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *       caller waits for them, {@code BACKGROUND} for refreshes.
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
    private static final Logger log = LoggerFactory.getLogger(SharedCache.class);

    private final CachePort backend;
    private final InstantSource clock;
    private final LoadCoordinator coordinator;
    private final InvalidationBus bus;
    private final InvalidationBus.Subscription subscription;
    private final Executor loadExecutor;
    private final Executor backgroundExecutor;
    private final List<ExecutorService> ownedExecutors = new ArrayList<>();
    private final ScheduledExecutorService deadlines;
    private final Map<String, CachePolicy> policyOverrides;
    private final boolean announceWrites;
    private final ConcurrentMap<String, KindState> kinds = new ConcurrentHashMap<>();
    private final QuietLog errorLog = new QuietLog(log);
    private final QuietLog refreshFailures = new QuietLog(log);
    private final FailSafeThrottle throttle = new FailSafeThrottle();
    /** Keys with a background refresh scheduled or running in this process. */
    private final Set<CacheKey> refreshing = ConcurrentHashMap.newKeySet();

    private final String origin = UUID.randomUUID().toString();
    private volatile boolean closed;

    private SharedCache(Builder builder) {
        this.backend = builder.backend;
        this.clock = builder.clock;
        this.coordinator = builder.coordinator;
        this.bus = builder.bus;
        this.policyOverrides = Map.copyOf(builder.policyOverrides);
        // other servers read what is written to a shared backend: tell them to drop their local copies
        this.announceWrites = backend.capabilities().contains(CachePort.Capability.SHARED_ACROSS_PROCESSES);
        this.loadExecutor = builder.loadExecutor != null
                ? builder.loadExecutor
                : owned(new ThreadPoolExecutor(
                        0,
                        builder.loaderThreads,
                        1,
                        TimeUnit.MINUTES,
                        new SynchronousQueue<>(),
                        new DaemonThreads("huddle-loader")));
        if (builder.backgroundExecutor != null) {
            this.backgroundExecutor = builder.backgroundExecutor;
        } else if (builder.loadExecutor != null) {
            this.backgroundExecutor = builder.loadExecutor;
        } else {
            ThreadPoolExecutor background = new ThreadPoolExecutor(
                    builder.backgroundThreads,
                    builder.backgroundThreads,
                    1,
                    TimeUnit.MINUTES,
                    new ArrayBlockingQueue<>(builder.backgroundQueue),
                    new DaemonThreads("huddle-refresh"));
            background.allowCoreThreadTimeOut(true);
            this.backgroundExecutor = owned(background);
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads("huddle-deadline"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.deadlines = owned(timer);
        this.subscription = bus.subscribe(this::onInvalidation);
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
        Objects.requireNonNull(loader, "loader");
        CacheKey key = new CacheKey(kind, id);
        KindState state = state(kind);
        state.recorder.requests.increment();
        Read read = read(key, state.recorder);
        Instant now = clock.instant();
        CacheEntry<?> entry = read.entry;
        if (entry != null) {
            if (entry.isFreshAt(now)) {
                return answerFresh(kind, entry, state.recorder);
            }
            if (state.withinStaleWhileRevalidate(entry, now)) {
                state.recorder.served(state.recorder.staleServed, entry.cost());
                refreshUnlessThrottled(kind, state, List.of(key), now, single(loader));
                return Optional.of(kind.valueType().cast(entry.rawValue()));
            }
            if (throttledStale(state, key, entry, now)) {
                return Optional.of(kind.valueType().cast(entry.rawValue()));
            }
        }
        LoadCoordinator.Claim claim = coordinator.claim(key);
        LoadCall<V> call = single(loader);
        if (claim.isLeader()) {
            Optional<CacheEntry<?>> loadedMeanwhile = read.backendUp ? recheck(key, state.recorder) : Optional.empty();
            if (loadedMeanwhile.isPresent()) {
                claim.complete(loadedMeanwhile.get());
                return answerFresh(kind, loadedMeanwhile.get(), state.recorder);
            }
            startLoad(kind, state, Map.of(id, claim), call);
        }
        return await(
                kind,
                key,
                claim,
                state,
                entry,
                System.nanoTime() + state.policy.loadTimeout().toNanos(),
                call);
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
        Map<String, CacheKey> keys = new LinkedHashMap<>();
        for (String id : new LinkedHashSet<>(ids)) {
            keys.put(id, new CacheKey(kind, id));
        }
        if (keys.isEmpty()) {
            return Map.of();
        }
        KindState state = state(kind);
        state.recorder.requests.add(keys.size());
        ReadAll read = readAll(keys.values(), state.recorder);
        Instant now = clock.instant();
        long deadline = System.nanoTime() + state.policy.loadTimeout().toNanos();

        Map<String, V> found = new LinkedHashMap<>();
        List<CacheKey> stale = new ArrayList<>();
        List<CacheKey> missing = new ArrayList<>();
        for (Map.Entry<String, CacheKey> each : keys.entrySet()) {
            String id = each.getKey();
            CacheEntry<?> entry = read.entries.get(each.getValue());
            if (entry != null && entry.isFreshAt(now)) {
                answerFresh(kind, entry, state.recorder).ifPresent(value -> found.put(id, value));
            } else if (entry != null && state.withinStaleWhileRevalidate(entry, now)) {
                state.recorder.served(state.recorder.staleServed, entry.cost());
                found.put(id, kind.valueType().cast(entry.rawValue()));
                stale.add(each.getValue());
            } else if (entry != null && throttledStale(state, each.getValue(), entry, now)) {
                found.put(id, kind.valueType().cast(entry.rawValue()));
            } else {
                missing.add(each.getValue());
            }
        }
        refreshUnlessThrottled(kind, state, stale, now, bulk(loader));
        // claimed together, so that callers asking for the same ids at once share one load of them all
        Map<String, LoadCoordinator.Claim> waiting = byId(coordinator.claimAll(missing));
        Map<String, LoadCoordinator.Claim> leading = new LinkedHashMap<>();
        waiting.forEach((id, claim) -> {
            if (claim.isLeader()) {
                leading.put(id, claim);
            }
        });
        if (!leading.isEmpty() && read.backendUp) {
            Map<CacheKey, CacheEntry<?>> loadedMeanwhile =
                    readAll(leading.keySet().stream().map(keys::get).toList(), state.recorder).entries;
            Instant recheckedAt = clock.instant();
            loadedMeanwhile.forEach((key, entry) -> {
                if (entry.isFreshAt(recheckedAt)) {
                    waiting.remove(key.id());
                    leading.remove(key.id()).complete(entry);
                    answerFresh(kind, entry, state.recorder).ifPresent(value -> found.put(key.id(), value));
                }
            });
        }
        startLoad(kind, state, leading, bulk(loader));

        CacheLoadException firstFailure = null;
        LoadCall<V> call = bulk(loader);
        reclaimAbandoned(kind, state, keys, waiting, found, deadline, call);
        for (Map.Entry<String, LoadCoordinator.Claim> each : waiting.entrySet()) {
            String id = each.getKey();
            try {
                await(kind, keys.get(id), each.getValue(), state, read.entries.get(keys.get(id)), deadline, call)
                        .ifPresent(value -> found.put(id, value));
            } catch (CacheLoadException e) {
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
        return found;
    }

    /**
     * Waits until every claim has an outcome; the ids whose loads were abandoned (a server that held
     * them died) are claimed again together, looked for in the backend, and the rest loaded in one
     * call, as {@link #getAll} did the first time. Repeats until no load is abandoned or the deadline
     * passes; what is left waiting is then awaited one by one.
     */
    private <V> void reclaimAbandoned(
            DataKind<V> kind,
            KindState state,
            Map<String, CacheKey> keys,
            Map<String, LoadCoordinator.Claim> waiting,
            Map<String, V> found,
            long deadline,
            LoadCall<V> call) {
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            CompletableFuture<?>[] outcomes = waiting.values().stream()
                    .map(LoadCoordinator.Claim::outcome)
                    .toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(outcomes).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException someFailed) {
                // each claim's failure is looked at below, or by await
            } catch (TimeoutException | CancellationException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            List<CacheKey> abandoned = new ArrayList<>();
            waiting.forEach((id, claim) -> {
                if (isAbandoned(claim)) {
                    abandoned.add(keys.get(id));
                }
            });
            if (abandoned.isEmpty()) {
                return;
            }
            log.debug("the loads of {} keys of {} were abandoned; claiming them again", abandoned.size(), kind);
            Map<String, LoadCoordinator.Claim> leading = new LinkedHashMap<>();
            byId(coordinator.claimAll(abandoned)).forEach((id, claim) -> {
                waiting.put(id, claim);
                if (!claim.isLeader()) {
                    return;
                }
                Optional<CacheEntry<?>> loadedMeanwhile = recheck(keys.get(id), state.recorder);
                if (loadedMeanwhile.isPresent()) {
                    claim.complete(loadedMeanwhile.get());
                    waiting.remove(id);
                    state.recorder.served(
                            state.recorder.coalescedWaits, loadedMeanwhile.get().cost());
                    valueOf(kind, loadedMeanwhile.get()).ifPresent(value -> found.put(id, value));
                } else {
                    leading.put(id, claim);
                }
            });
            startLoad(kind, state, leading, call);
        }
    }

    /**
     * Whether the entry answers the request stale without a load because its key's last load failed
     * within the fail-safe throttle; if so, counts the answer.
     */
    private boolean throttledStale(KindState state, CacheKey key, CacheEntry<?> entry, Instant now) {
        if (!state.withinStaleIfError(entry, now) || !throttle.isThrottled(key, now)) {
            return false;
        }
        state.recorder.failSafeThrottled.increment();
        state.recorder.served(state.recorder.staleServed, entry.cost());
        return true;
    }

    private static boolean isAbandoned(LoadCoordinator.Claim claim) {
        CompletableFuture<CacheEntry<?>> outcome = claim.outcome();
        if (!outcome.isCompletedExceptionally()) {
            return false;
        }
        try {
            outcome.join();
            return false;
        } catch (CompletionException e) {
            return e.getCause() instanceof LoadAbandonedException;
        } catch (CancellationException e) {
            return false;
        }
    }

    private static Map<String, LoadCoordinator.Claim> byId(Map<CacheKey, LoadCoordinator.Claim> claims) {
        Map<String, LoadCoordinator.Claim> byId = new LinkedHashMap<>();
        claims.forEach((key, claim) -> byId.put(key.id(), claim));
        return byId;
    }

    /** Drops the entry of {@code kind} with {@code id} here and, through the bus, on other servers. */
    public void invalidate(DataKind<?> kind, String id) {
        CacheKey key = new CacheKey(kind, id);
        KindState state = state(kind);
        onBackend("invalidate", key, state.recorder, () -> backend.invalidate(key));
        bus.publish(Invalidation.ofKey(origin, key));
    }

    /** Drops every entry of {@code kind} here and, through the bus, on other servers. */
    public void invalidateAll(DataKind<?> kind) {
        KindState state = state(kind);
        onBackend("invalidate kind", kind, state.recorder, () -> backend.invalidateKind(kind));
        bus.publish(Invalidation.ofKind(origin, kind));
    }

    /**
     * Stores values learnt on the side, without a load: for example every player on a roster that
     * was fetched for another reason. Each becomes a fresh entry under the kind's policy, with the
     * given cost, replacing any other; callers waiting for a load of the same key are not affected.
     */
    public <V> void putAll(DataKind<V> kind, Map<String, V> values, int costEach) {
        KindState state = state(kind);
        Instant now = clock.instant();
        long freshMillis = state.freshMillis();
        values.forEach((id, value) -> {
            CacheKey key = new CacheKey(kind, id);
            CacheEntry<V> entry = state.entryFor(Loaded.of(kind.valueType().cast(value), costEach), now, freshMillis);
            write(key, entry, state.recorder, now, Optional.empty());
        });
    }

    /** The policy in force for the kind: the application's override, else the kind's default. */
    public CachePolicy policy(DataKind<?> kind) {
        return policyOverrides.getOrDefault(kind.name(), kind.defaultPolicy());
    }

    /** Statistics of one kind; all zero for a kind never asked for. */
    public CacheStatistics stats(DataKind<?> kind) {
        KindState state = kinds.get(kind.name());
        CacheStatistics engine = state == null ? CacheStatistics.EMPTY : state.recorder.snapshot();
        return engine.plus(backendStatistics().of(kind.name()));
    }

    /** Statistics of every kind asked for so far, by kind name. */
    public Map<String, CacheStatistics> statsByKind() {
        BackendStatistics counts = backendStatistics();
        Map<String, CacheStatistics> byKind = new HashMap<>();
        kinds.forEach(
                (name, state) -> byKind.put(name, state.recorder.snapshot().plus(counts.of(name))));
        return Map.copyOf(byKind);
    }

    /**
     * Statistics of all kinds together. Entries, evictions and unreadable entries are the backend's
     * totals, which may include kinds this engine has not asked for (another server's, in a shared
     * backend).
     */
    public CacheStatistics stats() {
        CacheStatistics total = CacheStatistics.EMPTY;
        for (KindState state : kinds.values()) {
            total = total.plus(state.recorder.snapshot());
        }
        return total.plus(backendStatistics().total());
    }

    /** Stops the loader threads this cache made, leaves the bus, and closes the backend. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscription.close();
        ownedExecutors.forEach(ExecutorService::shutdown);
        backend.close();
    }

    private <E extends ExecutorService> E owned(E executor) {
        ownedExecutors.add(executor);
        return executor;
    }

    // ---- reading and writing the backend: a failure is counted, logged once per burst, and a miss

    private record Read(CacheEntry<?> entry, boolean backendUp) {}

    private record ReadAll(Map<CacheKey, CacheEntry<?>> entries, boolean backendUp) {}

    private Read read(CacheKey key, StatisticsRecorder recorder) {
        try {
            return new Read(backend.get(key).orElse(null), true);
        } catch (RuntimeException e) {
            backendFailed("read", key, recorder, e);
            return new Read(null, false);
        }
    }

    /** Looks again, just before loading, at what the backend holds now (see {@link CachePort#getLatest}). */
    private Optional<CacheEntry<?>> recheck(CacheKey key, StatisticsRecorder recorder) {
        CacheEntry<?> entry;
        try {
            entry = backend.getLatest(key).orElse(null);
        } catch (RuntimeException e) {
            backendFailed("read", key, recorder, e);
            return Optional.empty();
        }
        return entry != null && entry.isFreshAt(clock.instant()) ? Optional.of(entry) : Optional.empty();
    }

    private ReadAll readAll(Collection<CacheKey> keys, StatisticsRecorder recorder) {
        try {
            return new ReadAll(backend.getAll(keys), true);
        } catch (RuntimeException e) {
            backendFailed("read", keys.size() + " keys", recorder, e);
            return new ReadAll(Map.of(), false);
        }
    }

    /**
     * Stores the entry, fenced when the load held a lease, and on a shared backend tells the other
     * servers to drop their local copies of the key (also when the write failed: it may have reached
     * the backend all the same). A fenced write refused because the lease was lost stores and
     * announces nothing: the key changed meanwhile, or another server loads it; the callers that
     * waited for this load on this server still get its value.
     */
    private void write(
            CacheKey key, CacheEntry<?> entry, StatisticsRecorder recorder, Instant now, Optional<Fence> fence) {
        store(
                key,
                recorder,
                entry.keepFor(now),
                keepFor -> fence.isPresent()
                        ? backend.putFenced(key, entry, keepFor, fence.get())
                        : putUnfenced(key, entry, keepFor));
    }

    /**
     * Stores the late result of an abandoned load unless the key holds an entry at least as new
     * (checked atomically by a shared port), and announces it if stored.
     */
    private void writeIfNewer(CacheKey key, CacheEntry<?> entry, StatisticsRecorder recorder, Instant now) {
        Duration keepFor = entry.keepFor(now);
        if (!keepFor.isZero()) {
            store(key, recorder, keepFor, kept -> backend.putIfNewer(key, entry, kept));
        }
    }

    /** How a write reaches the backend; whether it stored the entry. */
    @FunctionalInterface
    private interface Store {
        boolean store(Duration keepFor);
    }

    /**
     * Runs the write and, on a shared backend, announces it; a failed write is announced too: it may
     * still have reached the shared backend (a timeout after it was applied).
     */
    private void store(CacheKey key, StatisticsRecorder recorder, Duration keepFor, Store write) {
        boolean stored;
        try {
            stored = write.store(keepFor);
        } catch (RuntimeException e) {
            backendFailed("write", key, recorder, e);
            stored = true;
        }
        if (stored && announceWrites) {
            bus.publish(Invalidation.ofKey(origin, key));
        }
    }

    private boolean putUnfenced(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        backend.put(key, entry, keepFor);
        return true;
    }

    private void onBackend(String operation, Object target, StatisticsRecorder recorder, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            backendFailed(operation, target, recorder, e);
        }
    }

    private void backendFailed(String operation, Object target, StatisticsRecorder recorder, RuntimeException e) {
        recorder.backendErrors.increment();
        backendTrouble(operation, target, e);
    }

    private BackendStatistics backendStatistics() {
        try {
            return backend.statistics();
        } catch (RuntimeException e) {
            backendTrouble("count", "entries", e);
            return BackendStatistics.EMPTY;
        }
    }

    private void backendTrouble(String operation, Object target, RuntimeException e) {
        errorLog.warn("cache backend failed to {} {}; carrying on without it", operation, target, e);
    }

    // ---- answering

    private static <V> Optional<V> answerFresh(DataKind<V> kind, CacheEntry<?> entry, StatisticsRecorder recorder) {
        if (entry.isNotFound()) {
            recorder.served(recorder.negativeHits, entry.cost());
            return Optional.empty();
        }
        recorder.served(recorder.hits, entry.cost());
        return Optional.of(kind.valueType().cast(entry.rawValue()));
    }

    /**
     * Waits for the claim's outcome until {@code deadline} (System.nanoTime), falling back to stale.
     * A load abandoned by its leader (another server that died) is claimed again: if this caller
     * then leads and the key is still missing from the backend, it loads it with {@code call}.
     */
    private <V> Optional<V> await(
            DataKind<V> kind,
            CacheKey key,
            LoadCoordinator.Claim firstClaim,
            KindState state,
            CacheEntry<?> stale,
            long deadline,
            LoadCall<V> call) {
        StatisticsRecorder recorder = state.recorder;
        LoadCoordinator.Claim claim = firstClaim;
        CacheLoadException failure;
        // with a stale value to stand in, a caller waits only the soft timeout (counted from its ask)
        boolean softly = stale != null
                && !state.policy.softTimeout().isZero()
                && state.withinStaleIfError(stale, clock.instant());
        long waitUntil = softly
                ? Math.min(
                        deadline,
                        deadline
                                - state.policy.loadTimeout().toNanos()
                                + state.policy.softTimeout().toNanos())
                : deadline;
        try {
            while (true) {
                try {
                    CacheEntry<?> loaded =
                            claim.outcome().get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (claim.isLeader()) {
                        recorder.misses.increment();
                    } else {
                        recorder.served(recorder.coalescedWaits, loaded.cost());
                    }
                    return valueOf(kind, loaded);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof LoadAbandonedException) || System.nanoTime() >= deadline) {
                        throw e;
                    }
                    log.debug("{}; claiming it again", e.getCause().getMessage());
                }
                claim = coordinator.claim(key);
                if (claim.isLeader()) {
                    Optional<CacheEntry<?>> loadedMeanwhile = recheck(key, recorder);
                    if (loadedMeanwhile.isPresent()) {
                        claim.complete(loadedMeanwhile.get());
                        recorder.served(
                                recorder.coalescedWaits, loadedMeanwhile.get().cost());
                        return valueOf(kind, loadedMeanwhile.get());
                    }
                    startLoad(kind, state, Map.of(key.id(), claim), call);
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            failure = cause instanceof CacheLoadTimeoutException abandoned
                    ? abandoned
                    : new CacheLoadException(key, describe(cause), cause);
        } catch (TimeoutException e) {
            if (softly && System.nanoTime() < deadline) {
                // the load goes on and fills the cache; this caller does not wait for it
                recorder.served(recorder.staleServed, stale.cost());
                return Optional.of(kind.valueType().cast(stale.rawValue()));
            }
            failure = new CacheLoadTimeoutException(key, state.policy.loadTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new CacheLoadException(key, "interrupted while waiting for the load", e);
        }
        Instant now = clock.instant();
        if (stale != null && state.withinStaleIfError(stale, now)) {
            recorder.served(recorder.staleServed, stale.cost());
            throttle.failed(key, now, state.policy.failSafeThrottle());
            log.debug("serving {} stale: {}", key, failure.getMessage());
            return Optional.of(kind.valueType().cast(stale.rawValue()));
        }
        (claim.isLeader() ? recorder.misses : recorder.coalescedWaits).increment();
        throw failure;
    }

    private static <V> Optional<V> valueOf(DataKind<V> kind, CacheEntry<?> entry) {
        return entry.isNotFound()
                ? Optional.empty()
                : Optional.of(kind.valueType().cast(entry.rawValue()));
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null
                ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    // ---- loading

    /** One loader call for a set of ids, as the engine runs it: values or "not found" with costs. */
    @FunctionalInterface
    private interface LoadCall<V> {
        Map<String, Loaded<V>> load(Set<String> ids) throws Exception;
    }

    private static <V> LoadCall<V> single(Loader<V> loader) {
        return ids -> {
            String id = ids.iterator().next();
            Loaded<V> loaded = loader.load(id);
            if (loaded == null) {
                throw new IllegalStateException("the loader returned null; return Loaded.notFound() for absent items");
            }
            return Map.of(id, loaded);
        };
    }

    private static <V> LoadCall<V> bulk(BulkLoader<V> loader) {
        return ids -> {
            BulkLoaded<V> loaded = loader.loadAll(ids);
            if (loaded == null) {
                throw new IllegalStateException("the bulk loader returned null; return an empty BulkLoaded instead");
            }
            // share the cost as evenly as whole numbers allow, so that the shares add up to it
            int base = loaded.cost() / ids.size();
            int extra = loaded.cost() % ids.size();
            Map<String, Loaded<V>> each = new HashMap<>();
            int index = 0;
            for (String id : ids) {
                int share = base + (index++ < extra ? 1 : 0);
                V value = loaded.values().get(id);
                each.put(id, value == null ? Loaded.notFound(share) : Loaded.of(value, share));
            }
            return each;
        };
    }

    /**
     * Hands one background refresh of the keys, those neither throttled nor already being refreshed
     * here, to the background executor; the caller's thread does nothing else. A full executor skips
     * it (counted), and a later request tries again.
     */
    private <V> void refreshUnlessThrottled(
            DataKind<V> kind, KindState state, List<CacheKey> keys, Instant now, LoadCall<V> call) {
        List<CacheKey> mine = new ArrayList<>();
        for (CacheKey key : keys) {
            if (throttle.isThrottled(key, now)) {
                state.recorder.failSafeThrottled.increment();
            } else if (refreshing.add(key)) {
                mine.add(key);
            }
        }
        if (mine.isEmpty()) {
            return;
        }
        try {
            backgroundExecutor.execute(() -> {
                try {
                    refresh(kind, state, mine, call);
                } finally {
                    mine.forEach(refreshing::remove);
                }
            });
        } catch (RejectedExecutionException e) {
            mine.forEach(refreshing::remove);
            state.recorder.refreshesSkipped.add(mine.size());
        }
    }

    /**
     * On the background executor: claims the keys, looks once more (a refresh that finished since the
     * stale read leaves nothing to do) and loads, on this thread, what is still stale.
     */
    private <V> void refresh(DataKind<V> kind, KindState state, List<CacheKey> keys, LoadCall<V> call) {
        Map<String, LoadCoordinator.Claim> leading = new LinkedHashMap<>();
        coordinator.claimAll(keys).forEach((key, claim) -> {
            if (claim.isLeader()) {
                leading.put(key.id(), claim);
            }
        });
        try {
            for (Iterator<Map.Entry<String, LoadCoordinator.Claim>> it =
                            leading.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, LoadCoordinator.Claim> each = it.next();
                Optional<CacheEntry<?>> refreshed = recheck(new CacheKey(kind, each.getKey()), state.recorder);
                if (refreshed.isPresent()) {
                    each.getValue().complete(refreshed.get());
                    it.remove();
                }
            }
        } catch (RuntimeException e) {
            // a claim this refresh leads must end, or its key would stay claimed
            leading.values().forEach(claim -> claim.fail(e));
            throw e;
        }
        if (!leading.isEmpty()) {
            new LoadRun<>(kind, state, leading, call, UpstreamBudget.Priority.BACKGROUND).runHere();
        }
    }

    /** Runs one loader call for the leaders' ids on the loader executor, stores and publishes. */
    private <V> void startLoad(
            DataKind<V> kind, KindState state, Map<String, LoadCoordinator.Claim> leaders, LoadCall<V> call) {
        if (!leaders.isEmpty()) {
            new LoadRun<>(kind, state, leaders, call, UpstreamBudget.Priority.USER).start(loadExecutor);
        }
    }

    /**
     * One loader call for the leaders' ids. It ends once: with its result, or at the policy's maximum
     * load time, when it is abandoned: its claims fail with a typed timeout and its keys are free. A
     * result that comes after that is stored only where nothing newer was stored meanwhile.
     */
    private final class LoadRun<V> implements Runnable {
        private final DataKind<V> kind;
        private final KindState state;
        private final Map<String, LoadCoordinator.Claim> claims;
        private final LoadCall<V> call;
        private final UpstreamBudget.Priority priority;
        private final Instant startedAt = clock.instant();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile ScheduledFuture<?> deadline;

        LoadRun(
                DataKind<V> kind,
                KindState state,
                Map<String, LoadCoordinator.Claim> claims,
                LoadCall<V> call,
                UpstreamBudget.Priority priority) {
            this.kind = kind;
            this.state = state;
            this.claims = Map.copyOf(claims);
            this.call = call;
            this.priority = priority;
        }

        void start(Executor executor) {
            armDeadline();
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                if (end()) {
                    RejectedExecutionException full = new RejectedExecutionException(
                            "no loader thread was free to load " + kind + " " + claims.keySet());
                    claims.values().forEach(claim -> claim.fail(full));
                }
            }
        }

        void runHere() {
            armDeadline();
            run();
        }

        private void armDeadline() {
            try {
                deadline = deadlines.schedule(
                        this::abandon, state.policy.maxLoadTime().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                // the cache is closing: the load runs without a deadline, as its callers are going too
            }
        }

        @Override
        public void run() {
            StatisticsRecorder recorder = state.recorder;
            recorder.loads.increment();
            Map<String, Loaded<V>> loaded;
            try {
                loaded = priority.callAs(() -> call.load(new LinkedHashSet<>(claims.keySet())));
                for (Loaded<V> each : loaded.values()) {
                    V value = each.rawValue();
                    if (value != null && !kind.valueType().isInstance(value)) {
                        throw new IllegalStateException("the loader of kind '" + kind + "' returned a "
                                + value.getClass().getName() + ", not a "
                                + kind.valueType().getName());
                    }
                }
            } catch (Exception | Error e) {
                if (priority == UpstreamBudget.Priority.BACKGROUND) {
                    refreshFailures.warn("background refresh of {} {} failed: {}", kind, claims.keySet(), describe(e));
                }
                // counted after the log line: whoever sees the count can find the line
                recorder.loadFailures.increment();
                if (end()) {
                    Instant now = clock.instant();
                    claims.forEach((id, claim) -> {
                        throttle.failed(new CacheKey(kind, id), now, state.policy.failSafeThrottle());
                        claim.fail(e);
                    });
                }
                if (e instanceof Error error) {
                    throw error;
                }
                return;
            }
            Instant now = clock.instant();
            boolean inTime = end();
            long freshMillis = state.freshMillis();
            for (Map.Entry<String, LoadCoordinator.Claim> each : claims.entrySet()) {
                CacheKey key = new CacheKey(kind, each.getKey());
                Loaded<V> result = loaded.get(each.getKey());
                recorder.upstreamCalls.add(result.calls());
                if (inTime) {
                    CacheEntry<V> entry = state.entryFor(result, now, freshMillis);
                    write(key, entry, recorder, now, each.getValue().fence());
                    throttle.succeeded(key);
                    each.getValue().complete(entry);
                } else {
                    // dated when the load began: anything stored since is at least as new
                    writeIfNewer(key, state.entryFor(result, startedAt, freshMillis), recorder, now);
                }
            }
        }

        /** Whether this call ended the run (its result or its deadline, whichever came first). */
        private boolean end() {
            if (!ended.compareAndSet(false, true)) {
                return false;
            }
            ScheduledFuture<?> timer = deadline;
            if (timer != null) {
                timer.cancel(false);
            }
            return true;
        }

        private void abandon() {
            if (!end()) {
                return;
            }
            state.recorder.loadsAbandoned.increment();
            Duration maxLoadTime = state.policy.maxLoadTime();
            refreshFailures.warn(
                    "the load of {} {} ran past its maximum load time of {} and was abandoned",
                    kind,
                    claims.keySet(),
                    maxLoadTime);
            Instant now = clock.instant();
            claims.forEach((id, claim) -> {
                CacheKey key = new CacheKey(kind, id);
                throttle.failed(key, now, state.policy.failSafeThrottle());
                claim.fail(CacheLoadTimeoutException.abandoned(key, maxLoadTime));
            });
        }
    }

    // ---- kinds, policies and the bus

    private KindState state(DataKind<?> kind) {
        ensureOpen();
        KindState state = kinds.get(kind.name());
        if (state == null) {
            state = kinds.computeIfAbsent(kind.name(), name -> new KindState(kind, policy(kind)));
        }
        if (state.kind.valueType() != kind.valueType()) {
            throw new IllegalArgumentException("kind '" + kind + "' is already in use with values of "
                    + state.kind.valueType().getName() + ", not "
                    + kind.valueType().getName());
        }
        return state;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this SharedCache is closed");
        }
    }

    /**
     * Another engine changed a key or a kind: drop local copies of it. After lost messages (anything
     * may have changed) local copies are distrusted instead: a near cache keeps them as the fallback.
     */
    private void onInvalidation(Invalidation invalidation) {
        if (invalidation.origin().equals(origin) || closed) {
            return;
        }
        if (invalidation.isEverything()) {
            List<DataKind<?>> known = kinds.values().stream()
                    .<DataKind<?>>map(state -> state.kind)
                    .toList();
            try {
                backend.distrustLocal(known);
            } catch (RuntimeException e) {
                backendTrouble("distrust local copies of", known.size() + " kinds", e);
            }
            return;
        }
        KindState state = kinds.get(invalidation.kind().orElseThrow());
        if (state == null) {
            return;
        }
        invalidation
                .id()
                .ifPresentOrElse(
                        id -> onBackend(
                                "forget", id, state.recorder, () -> backend.forgetLocal(new CacheKey(state.kind, id))),
                        () -> forgetLocalKind(state));
    }

    private void forgetLocalKind(KindState state) {
        onBackend("forget kind", state.kind, state.recorder, () -> backend.forgetLocal(state.kind));
    }

    /** A kind's policy and counters, looked up once per request. */
    private static final class KindState {
        final DataKind<?> kind;
        final CachePolicy policy;
        final StatisticsRecorder recorder = new StatisticsRecorder();
        private final long ttlMillis;
        private final long swrMillis;
        private final long staleIfErrorMillis;

        KindState(DataKind<?> kind, CachePolicy policy) {
            this.kind = kind;
            this.policy = policy;
            this.ttlMillis = policy.ttl().toMillis();
            this.swrMillis = policy.staleWhileRevalidate().toMillis();
            this.staleIfErrorMillis = policy.staleIfError().toMillis();
        }

        boolean withinStaleWhileRevalidate(CacheEntry<?> entry, Instant now) {
            return !entry.isNotFound()
                    && entry.isVerified()
                    && now.isBefore(entry.freshUntil().plusMillis(swrMillis));
        }

        boolean withinStaleIfError(CacheEntry<?> entry, Instant now) {
            return !entry.isNotFound() && now.isBefore(entry.freshUntil().plusMillis(staleIfErrorMillis));
        }

        /**
         * The fresh lifetime of the entries of one load: the ttl, shortened by up to the jitter
         * fraction. Drawn once per load, not per entry: the entries one upstream call brought expire
         * together and so refresh together in one call, while separate loads spread out.
         */
        long freshMillis() {
            if (policy.jitter() == 0) {
                return ttlMillis;
            }
            return ttlMillis
                    - (long) (ttlMillis
                            * policy.jitter()
                            * ThreadLocalRandom.current().nextDouble());
        }

        <V> CacheEntry<V> entryFor(Loaded<V> loaded, Instant now, long freshMillis) {
            V value = loaded.rawValue();
            if (value == null) {
                return CacheEntry.notFound(now, now.plus(policy.negativeTtl()), loaded.cost());
            }
            Instant freshUntil = now.plusMillis(freshMillis);
            return CacheEntry.found(value, now, freshUntil, freshUntil.plus(policy.staleWindow()), loaded.cost());
        }
    }

    /** Daemon threads named after the cache, so that a forgotten cache does not keep a JVM alive. */
    private static final class DaemonThreads implements ThreadFactory {
        private static final AtomicInteger CACHES = new AtomicInteger();
        private final String prefix;
        private final AtomicInteger threads = new AtomicInteger();

        DaemonThreads(String role) {
            this.prefix = role + "-" + CACHES.incrementAndGet() + "-";
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, prefix + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
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

        /** The most threads of the default loader pool: loads callers wait on at once. Default 64. */
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

        /** The cache. */
        public SharedCache build() {
            return new SharedCache(this);
        }
    }
}
