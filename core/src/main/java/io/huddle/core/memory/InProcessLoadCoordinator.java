package io.huddle.core.memory;

import io.huddle.core.api.CacheKey;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.LoadCoordinator;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Single flight within one process: one in-flight future per key; the first claimant creates it and
 * leads, the others follow it. Thread-safe and lock-free apart from the map.
 */
public final class InProcessLoadCoordinator implements LoadCoordinator {
    private final ConcurrentMap<CacheKey, CompletableFuture<CacheEntry<?>>> inFlight = new ConcurrentHashMap<>();

    @Override
    public Claim claim(CacheKey key) {
        CompletableFuture<CacheEntry<?>> mine = new CompletableFuture<>();
        CompletableFuture<CacheEntry<?>> running = inFlight.putIfAbsent(key, mine);
        return running == null ? new LocalClaim(key, mine, true) : new LocalClaim(key, running, false);
    }

    /** Claims the keys under one lock, so that callers claiming the same keys at once get one leader. */
    @Override
    public synchronized Map<CacheKey, Claim> claimAll(Collection<CacheKey> keys) {
        return LoadCoordinator.super.claimAll(keys);
    }

    /** How many keys are being loaded now. */
    public int loadsInFlight() {
        return inFlight.size();
    }

    private final class LocalClaim implements Claim {
        private final CacheKey key;
        private final CompletableFuture<CacheEntry<?>> outcome;
        private final boolean leader;

        LocalClaim(CacheKey key, CompletableFuture<CacheEntry<?>> outcome, boolean leader) {
            this.key = key;
            this.outcome = outcome;
            this.leader = leader;
        }

        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public CompletableFuture<CacheEntry<?>> outcome() {
            return outcome;
        }

        @Override
        public void complete(CacheEntry<?> entry) {
            requireLeader();
            inFlight.remove(key, outcome);
            outcome.complete(entry);
        }

        @Override
        public void fail(Throwable failure) {
            requireLeader();
            inFlight.remove(key, outcome);
            outcome.completeExceptionally(failure);
        }

        private void requireLeader() {
            if (!leader) {
                throw new IllegalStateException("only the leader of the load of " + key + " may end it");
            }
        }
    }
}
