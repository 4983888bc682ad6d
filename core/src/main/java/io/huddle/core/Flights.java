package io.huddle.core;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CacheLoadTimeoutException;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.StatsCounter;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.LoadAbandonedException;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.PermitRefusedException;
import io.huddle.core.spi.UpstreamBudget;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single flight: claims keys through the {@link LoadCoordinator}, starts the loads the caller leads,
 * waits for their outcomes until the deadline (or the soft timeout, with a stale value to stand in),
 * and claims again the keys whose loads were abandoned. Thread-safe.
 */
final class Flights {
    private static final Logger log = LoggerFactory.getLogger(SharedCache.class);

    private final LoadCoordinator coordinator;
    private final Backend backend;
    private final Loads loads;
    private final FailSafeThrottle throttle;
    private final InstantSource clock;

    Flights(LoadCoordinator coordinator, Backend backend, Loads loads, FailSafeThrottle throttle, InstantSource clock) {
        this.coordinator = coordinator;
        this.backend = backend;
        this.loads = loads;
        this.throttle = throttle;
        this.clock = clock;
    }

    /** Claims one key. */
    LoadCoordinator.Claim claim(CacheKey key) {
        return coordinator.claim(key);
    }

    /** Claims the keys together, so that callers asking for the same ids at once share one load. */
    Map<String, LoadCoordinator.Claim> claimAll(Collection<CacheKey> keys) {
        Map<String, LoadCoordinator.Claim> byId = new LinkedHashMap<>();
        coordinator.claimAll(keys).forEach((key, claim) -> byId.put(key.id(), claim));
        return byId;
    }

    /**
     * Waits until every claim has an outcome; the ids whose loads were abandoned (a server that held
     * them died) are claimed again together, looked for in the backend, and the rest loaded in one
     * call, as {@code getAll} did the first time. Repeats until no load is abandoned or the deadline
     * passes; what is left waiting is then awaited one by one.
     */
    <V> void reclaimAbandoned(
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
            claimAll(abandoned).forEach((id, claim) -> {
                waiting.put(id, claim);
                if (!claim.isLeader()) {
                    return;
                }
                Optional<CacheEntry<?>> loadedMeanwhile = backend.recheck(keys.get(id), state.stats);
                if (loadedMeanwhile.isPresent()) {
                    claim.complete(loadedMeanwhile.get());
                    waiting.remove(id);
                    state.stats.recordCoalescedWait(loadedMeanwhile.get().cost());
                    V value = KindState.valueOf(kind, loadedMeanwhile.get());
                    if (value != null) {
                        found.put(id, value);
                    }
                } else {
                    leading.put(id, claim);
                }
            });
            loads.start(kind, state, leading, call);
        }
    }

    /**
     * Whether a user followed a background load the budget refused: users come before background
     * work, so the user claims the key again and loads it at its own priority.
     */
    private static boolean userAfterRefusedBackground(LoadCoordinator.Claim claim, ExecutionException e) {
        return !claim.isLeader()
                && UpstreamBudget.Priority.current() == UpstreamBudget.Priority.USER
                && PermitRefusedException.of(e.getCause())
                        .filter(refused -> refused.priority() == UpstreamBudget.Priority.BACKGROUND)
                        .isPresent();
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

    /**
     * Waits for the claim's outcome until {@code deadline} (System.nanoTime), falling back to stale.
     * A load abandoned by its leader (another server that died) is claimed again: if this caller
     * then leads and the key is still missing from the backend, it loads it with {@code call}.
     */
    <V> Optional<V> await(
            DataKind<V> kind,
            CacheKey key,
            LoadCoordinator.Claim firstClaim,
            KindState state,
            CacheEntry<?> stale,
            long deadline,
            LoadCall<V> call) {
        StatsCounter stats = state.stats;
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
                        stats.recordMiss();
                    } else {
                        stats.recordCoalescedWait(loaded.cost());
                    }
                    return KindState.answer(kind, loaded);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof LoadAbandonedException || userAfterRefusedBackground(claim, e))
                            || System.nanoTime() >= deadline) {
                        throw e;
                    }
                    log.debug("{}; claiming it again", e.getCause().getMessage());
                }
                claim = coordinator.claim(key);
                if (claim.isLeader()) {
                    Optional<CacheEntry<?>> loadedMeanwhile = backend.recheck(key, stats);
                    if (loadedMeanwhile.isPresent()) {
                        claim.complete(loadedMeanwhile.get());
                        stats.recordCoalescedWait(loadedMeanwhile.get().cost());
                        return KindState.answer(kind, loadedMeanwhile.get());
                    }
                    loads.start(kind, state, Map.of(key.id(), claim), call);
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            failure = cause instanceof CacheLoadTimeoutException abandoned
                    ? abandoned
                    : new CacheLoadException(key, Loads.describe(cause), cause);
        } catch (TimeoutException e) {
            if (softly && System.nanoTime() < deadline) {
                // the load goes on and fills the cache; this caller does not wait for it
                stats.recordStale(stale.cost());
                return KindState.answer(kind, stale);
            }
            failure = new CacheLoadTimeoutException(key, state.policy.loadTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new CacheLoadException(key, "interrupted while waiting for the load", e);
        }
        Instant now = clock.instant();
        if (stale != null && state.withinStaleIfError(stale, now)) {
            stats.recordStale(stale.cost());
            if (!PermitRefusedException.isIn(failure)) {
                // a refused permit is no failure of the upstream's: the next request may try
                throttle.failed(key, now, state.policy.failSafeThrottle());
            }
            log.debug("serving {} stale: {}", key, failure.getMessage());
            return KindState.answer(kind, stale);
        }
        if (claim.isLeader()) {
            stats.recordMiss();
        } else {
            stats.recordCoalescedWait(0);
        }
        throw failure;
    }
}
