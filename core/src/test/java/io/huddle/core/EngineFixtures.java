package io.huddle.core;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.memory.InProcessLoadCoordinator;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.LoadCoordinator;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Small parts the engine tests share. */
public final class EngineFixtures {
    public static final Duration TTL = Duration.ofMinutes(1);

    private EngineFixtures() {}

    public static DataKind<String> kind(CachePolicy policy) {
        return DataKind.of("words", String.class, policy);
    }

    /** Waits on a latch, failing the test instead of hanging it. */
    public static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out waiting on a latch");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A coordinator that counts claims, so that a test can hold a load until every caller has claimed. */
    static final class CountingCoordinator implements LoadCoordinator {
        private final LoadCoordinator delegate = new InProcessLoadCoordinator();
        final AtomicInteger claims = new AtomicInteger();
        private volatile CountDownLatch claimed = new CountDownLatch(0);

        /** A latch that opens once {@code count} more claims have been made. */
        CountDownLatch expectClaims(int count) {
            claimed = new CountDownLatch(count);
            return claimed;
        }

        @Override
        public Claim claim(CacheKey key) {
            Claim claim = delegate.claim(key);
            claims.incrementAndGet();
            claimed.countDown();
            return claim;
        }

        @Override
        public java.util.Map<CacheKey, Claim> claimAll(java.util.Collection<CacheKey> keys) {
            java.util.Map<CacheKey, Claim> claims = delegate.claimAll(keys);
            for (int i = 0; i < claims.size(); i++) {
                this.claims.incrementAndGet();
                claimed.countDown();
            }
            return claims;
        }
    }

    /** A backend that fails every call, as a Redis that is down does. */
    static final class BrokenPort implements CachePort {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public java.util.Optional<CacheEntry<?>> get(CacheKey key) {
            throw down();
        }

        @Override
        public void put(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
            throw down();
        }

        @Override
        public void invalidate(CacheKey key) {
            throw down();
        }

        @Override
        public void invalidateKind(DataKind<?> kind) {
            throw down();
        }

        @Override
        public BackendStatistics statistics() {
            throw down();
        }

        @Override
        public java.util.Set<Capability> capabilities() {
            return java.util.Set.of(Capability.SHARED_ACROSS_PROCESSES);
        }

        @Override
        public void close() {}

        private CacheBackendException down() {
            calls.incrementAndGet();
            return new CacheBackendException(name(), "connection refused");
        }
    }
}
