package io.huddle.core.spi;

import io.huddle.core.api.CacheKey;
import io.huddle.core.memory.InProcessLoadCoordinator;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Decides who loads a key: of all the callers that claim a key while a load of it is under way,
 * exactly one is the leader and loads; the others follow and wait for the leader's outcome.
 *
 * <p>{@link InProcessLoadCoordinator} does this within one process. A distributed implementation
 * (a lease in a shared store) makes the rule hold across servers; it must still hand out claims
 * when its store is unreachable, falling back to in-process coordination. When a distributed leader
 * goes away without an outcome, its followers' outcome fails with {@link LoadAbandonedException}
 * and the engine claims the key again.
 *
 * <p>Implementations are thread-safe.
 */
public interface LoadCoordinator {

    /** Claims the key: the returned claim is either the leader or a follower of the current load. */
    Claim claim(CacheKey key);

    /**
     * Claims several keys for one load, in their order. Implementations should claim them as one
     * step, so that callers claiming the same keys at the same moment do not split the leadership
     * between them (and the upstream call into several); the default claims one key at a time.
     */
    default Map<CacheKey, Claim> claimAll(Collection<CacheKey> keys) {
        Map<CacheKey, Claim> claims = new LinkedHashMap<>();
        for (CacheKey key : keys) {
            claims.put(key, claim(key));
        }
        return claims;
    }

    /** What the coordinator has done so far; the default (in-process coordination) counts nothing. */
    default CoordinatorStatistics statistics() {
        return CoordinatorStatistics.EMPTY;
    }

    /** One caller's part in the load of one key. */
    interface Claim {
        /** Whether this caller must load the key and then {@link #complete} or {@link #fail}. */
        boolean isLeader();

        /**
         * Completes with the entry the leader loaded, or exceptionally with the leader's failure.
         * Followers wait on it, with a timeout.
         */
        CompletableFuture<CacheEntry<?>> outcome();

        /**
         * Leader only: the fence the loaded entry must be written with ({@link CachePort#putFenced}),
         * or empty when the coordinator hands out no leases (in-process coordination).
         */
        default Optional<Fence> fence() {
            return Optional.empty();
        }

        /**
         * Leader only: publishes the loaded entry to every follower and ends the load, so that the
         * next claim of the key starts a new one. The entry must already be stored in the cache.
         */
        void complete(CacheEntry<?> entry);

        /** Leader only: passes the failure to every follower and ends the load. */
        void fail(Throwable failure);
    }
}
