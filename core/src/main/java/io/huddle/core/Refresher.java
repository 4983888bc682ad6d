package io.huddle.core;

import io.huddle.core.api.AheadResult;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.LoadCoordinator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Background refreshes of entries served under stale-while-revalidate, and loads ahead of users, on
 * a bounded executor: at most one per key at a time in this process, none for a throttled key.
 * Thread-safe.
 */
final class Refresher {
    private final Executor executor;
    private final LoadCoordinator coordinator;
    private final Backend backend;
    private final Loads loads;
    private final FailSafeThrottle throttle;
    /** Keys with a background refresh scheduled or running in this process. */
    private final Set<CacheKey> refreshing = ConcurrentHashMap.newKeySet();

    Refresher(Executor executor, LoadCoordinator coordinator, Backend backend, Loads loads, FailSafeThrottle throttle) {
        this.executor = executor;
        this.coordinator = coordinator;
        this.backend = backend;
        this.loads = loads;
        this.throttle = throttle;
    }

    /**
     * Hands one background refresh of the keys, those neither throttled nor already being refreshed
     * here, to the background executor; the caller's thread does nothing else. A full executor skips
     * it (counted), and a later request tries again.
     */
    <V> void refreshUnlessThrottled(
            DataKind<V> kind, KindState state, List<CacheKey> keys, Instant now, LoadCall<V> call) {
        List<CacheKey> mine = new ArrayList<>();
        for (CacheKey key : keys) {
            if (throttle.isThrottled(key, now)) {
                state.stats.recordFailSafeThrottled();
            } else if (refreshing.add(key)) {
                mine.add(key);
            }
        }
        if (!mine.isEmpty() && !schedule(kind, state, mine, 0, call)) {
            state.stats.recordRefreshesSkipped(mine.size());
        }
    }

    /**
     * Hands one background load of the key, a load ahead of users, to the background executor
     * unless one is already scheduled or running here; when it runs, it loads the key only if it is
     * not fresh for {@code marginMillis} more (refresh-ahead). The caller counts what it returns.
     */
    <V> AheadResult ahead(DataKind<V> kind, KindState state, CacheKey key, long marginMillis, LoadCall<V> call) {
        if (!refreshing.add(key)) {
            return AheadResult.ALREADY_LOADING;
        }
        return schedule(kind, state, List.of(key), marginMillis, call) ? AheadResult.STARTED : AheadResult.SKIPPED_FULL;
    }

    /** Whether the executor took the refresh of the keys (marked as refreshing by the caller). */
    private <V> boolean schedule(
            DataKind<V> kind, KindState state, List<CacheKey> keys, long marginMillis, LoadCall<V> call) {
        try {
            executor.execute(() -> {
                try {
                    refresh(kind, state, keys, marginMillis, call);
                } finally {
                    keys.forEach(refreshing::remove);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            keys.forEach(refreshing::remove);
            return false;
        }
    }

    /**
     * On the background executor: claims the keys, looks once more (a refresh that finished since the
     * stale read leaves nothing to do; for a load ahead, one fresh for {@code marginMillis} more) and
     * loads, on this thread, what is still stale.
     */
    private <V> void refresh(
            DataKind<V> kind, KindState state, List<CacheKey> keys, long marginMillis, LoadCall<V> call) {
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
                Optional<CacheEntry<?>> refreshed =
                        backend.recheck(new CacheKey(kind, each.getKey()), state.stats, marginMillis);
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
            loads.runHere(kind, state, leading, call);
        }
    }
}
