package io.huddle.core.snapshot;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * An in-memory port whose enumeration fails after visiting {@code failAfter} entries while {@link
 * #failingVisits} is above zero: a backend lost in the middle of a snapshot.
 */
final class FailingPort implements CachePort {
    private final InMemoryCachePort delegate;
    private final int failAfter;
    /** How many enumerations still fail; each failing one lowers it. */
    final AtomicInteger failingVisits;
    /** Enumerations started. */
    final AtomicInteger visits = new AtomicInteger();

    FailingPort(InstantSource clock, int failAfter, int failingVisits) {
        this.delegate = new InMemoryCachePort(clock);
        this.failAfter = failAfter;
        this.failingVisits = new AtomicInteger(failingVisits);
    }

    @Override
    public void forEachEntry(BiConsumer<CacheKey, CacheEntry<?>> action) {
        visits.incrementAndGet();
        boolean fails = failingVisits.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        int[] visited = {0};
        delegate.forEachEntry((key, entry) -> {
            if (fails && visited[0]++ == failAfter) {
                throw new CacheBackendException(name(), "connection lost");
            }
            action.accept(key, entry);
        });
    }

    @Override
    public String name() {
        return "failing";
    }

    @Override
    public Optional<CacheEntry<?>> get(CacheKey key) {
        return delegate.get(key);
    }

    @Override
    public void put(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        delegate.put(key, entry, keepFor);
    }

    @Override
    public void invalidate(CacheKey key) {
        delegate.invalidate(key);
    }

    @Override
    public void invalidateKind(DataKind<?> kind) {
        delegate.invalidateKind(kind);
    }

    @Override
    public BackendStatistics statistics() {
        return delegate.statistics();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
