package io.huddle.core;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loader;
import io.huddle.core.api.StatsCounter;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.LoadCoordinator;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read path of {@code get} and {@code getAll}: answers from a fresh entry at once (the hit
 * path), from a stale one while a refresh runs or while the key is throttled, and otherwise hands the
 * key to single flight. Thread-safe.
 */
final class Reads {
    private final Backend backend;
    private final Flights flights;
    private final Loads loads;
    private final Refresher refresher;
    private final FailSafeThrottle throttle;
    private final InstantSource clock;
    private final HitClock hitClock;

    Reads(
            Backend backend,
            Flights flights,
            Loads loads,
            Refresher refresher,
            FailSafeThrottle throttle,
            InstantSource clock,
            HitClock hitClock) {
        this.backend = backend;
        this.flights = flights;
        this.loads = loads;
        this.refresher = refresher;
        this.throttle = throttle;
        this.clock = clock;
        this.hitClock = hitClock;
    }

    /**
     * One key; see {@code SharedCache.get}. The hit path: one read of the backend by kind and id
     * ({@link CachePort#getOrNull(DataKind, String)}: no key built, no allocation), one reading of
     * the {@link HitClock} (a volatile on the system clock), one counter increment (a hit records
     * its request too). Anything else builds the key, which checks the id, and goes on in {@link
     * #getNotFresh}.
     */
    <V> Optional<V> get(DataKind<V> kind, KindState state, String id, Loader<V> loader) {
        StatsCounter stats = state.stats;
        CacheEntry<?> entry = backend.read(kind, id, stats);
        if (entry != null && entry.isFreshThroughout(hitClock.millisNotBeforeNow())) {
            return answerFresh(kind, state, id, entry);
        }
        return getNotFresh(kind, state, new CacheKey(kind, id), loader, entry);
    }

    /** The rest of {@link #get}, with an exact instant: the entry is stale, absent, or ends its freshness now. */
    private <V> Optional<V> getNotFresh(
            DataKind<V> kind, KindState state, CacheKey key, Loader<V> loader, CacheEntry<?> read) {
        StatsCounter stats = state.stats;
        Instant now = clock.instant();
        boolean backendUp = read != Backend.UNREACHABLE;
        // an entry past its stale-until is one the port has not removed yet (CachePort.getOrNull)
        CacheEntry<?> entry = backendUp && read != null && now.isBefore(read.staleUntil()) ? read : null;
        if (entry != null) {
            if (entry.isFreshAt(now)) {
                return answerFresh(kind, state, key.id(), entry);
            }
            if (state.withinStaleWhileRevalidate(entry, now)) {
                stats.recordRequests(1);
                stats.recordStale(entry.cost());
                refresher.refreshUnlessThrottled(kind, state, List.of(key), now, LoadCall.single(loader));
                return KindState.answer(kind, entry);
            }
            if (throttledStale(state, key, entry, now)) {
                return KindState.answer(kind, entry);
            }
        }
        LoadCall<V> call = LoadCall.single(loader);
        LoadCoordinator.Claim claim = flights.claim(key);
        if (claim.isLeader()) {
            Optional<CacheEntry<?>> loadedMeanwhile = backendUp ? backend.recheck(key, stats) : Optional.empty();
            if (loadedMeanwhile.isPresent()) {
                claim.complete(loadedMeanwhile.get());
                return answerFresh(kind, state, key.id(), loadedMeanwhile.get());
            }
        }
        // a request that waits is recorded before its outcome; a hit above recorded its own
        stats.recordRequests(1);
        if (claim.isLeader()) {
            loads.start(kind, state, Map.of(key.id(), claim), call);
        }
        return flights.await(
                kind,
                key,
                claim,
                state,
                entry,
                System.nanoTime() + state.policy.loadTimeout().toNanos(),
                call);
    }

    /** Many keys of one kind, loaded in one call where they must be; see {@code SharedCache.getAll}. */
    <V> Map<String, V> getAll(DataKind<V> kind, KindState state, Map<String, CacheKey> keys, LoadCall<V> call) {
        StatsCounter stats = state.stats;
        Backend.ReadAll read = backend.readAll(keys.values(), stats);
        Instant now = clock.instant();
        long deadline = System.nanoTime() + state.policy.loadTimeout().toNanos();

        Map<String, V> found = new LinkedHashMap<>();
        List<CacheKey> stale = new ArrayList<>();
        List<CacheKey> missing = new ArrayList<>();
        for (Map.Entry<String, CacheKey> each : keys.entrySet()) {
            String id = each.getKey();
            CacheEntry<?> entry = read.entries().get(each.getValue());
            if (entry != null && entry.isFreshAt(now)) {
                answerFresh(kind, state, id, entry).ifPresent(value -> found.put(id, value));
            } else if (entry != null && state.withinStaleWhileRevalidate(entry, now)) {
                stats.recordRequests(1);
                stats.recordStale(entry.cost());
                found.put(id, KindState.valueOf(kind, entry));
                stale.add(each.getValue());
            } else if (entry != null && throttledStale(state, each.getValue(), entry, now)) {
                found.put(id, KindState.valueOf(kind, entry));
            } else {
                missing.add(each.getValue());
            }
        }
        refresher.refreshUnlessThrottled(kind, state, stale, now, call);
        Map<String, LoadCoordinator.Claim> waiting = flights.claimAll(missing);
        Map<String, LoadCoordinator.Claim> leading = new LinkedHashMap<>();
        waiting.forEach((id, claim) -> {
            if (claim.isLeader()) {
                leading.put(id, claim);
            }
        });
        if (!leading.isEmpty() && read.backendUp()) {
            Map<CacheKey, CacheEntry<?>> loadedMeanwhile = backend.readAll(
                            leading.keySet().stream().map(keys::get).toList(), stats)
                    .entries();
            Instant recheckedAt = clock.instant();
            loadedMeanwhile.forEach((key, entry) -> {
                if (entry.isFreshAt(recheckedAt)) {
                    waiting.remove(key.id());
                    leading.remove(key.id()).complete(entry);
                    answerFresh(kind, state, key.id(), entry).ifPresent(value -> found.put(key.id(), value));
                }
            });
        }
        // the requests that wait, recorded before their outcomes; the hits above recorded their own
        stats.recordRequests(waiting.size());
        loads.start(kind, state, leading, call);

        CacheLoadException firstFailure = null;
        flights.reclaimAbandoned(kind, state, keys, waiting, found, deadline, call);
        for (Map.Entry<String, LoadCoordinator.Claim> each : waiting.entrySet()) {
            String id = each.getKey();
            CacheKey key = keys.get(id);
            try {
                flights.await(kind, key, each.getValue(), state, read.entries().get(key), deadline, call)
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
     * Counts a fresh entry's answer: a hit, or a negative hit for "not found"; a prefetch of the key,
     * if one is tracked, was used.
     */
    private <V> Optional<V> answerFresh(DataKind<V> kind, KindState state, String id, CacheEntry<?> entry) {
        StatsCounter stats = state.stats;
        if (state.prefetched.tracking()) {
            state.prefetched.answered(id, hitClock.millisNotBeforeNow());
        }
        if (entry.isNotFound()) {
            stats.recordNegativeHit(entry.cost());
            return Optional.empty();
        }
        stats.recordHit(entry.cost());
        return KindState.answer(kind, entry);
    }

    /**
     * Whether the entry answers the request stale without a load because its key's last load failed
     * within the fail-safe throttle; if so, counts the answer.
     */
    private boolean throttledStale(KindState state, CacheKey key, CacheEntry<?> entry, Instant now) {
        if (!state.withinStaleIfError(entry, now) || !throttle.isThrottled(key, now)) {
            return false;
        }
        state.stats.recordRequests(1);
        state.stats.recordFailSafeThrottled();
        state.stats.recordStale(entry.cost());
        return true;
    }

    /** The distinct ids, in the order given, with their keys. */
    static Map<String, CacheKey> keysOf(DataKind<?> kind, Collection<String> ids) {
        Map<String, CacheKey> keys = new LinkedHashMap<>();
        for (String id : new LinkedHashSet<>(ids)) {
            keys.put(id, new CacheKey(kind, id));
        }
        return keys;
    }
}
