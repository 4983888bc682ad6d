package io.huddle.core.tiered;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.Fence;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory port standing for a shared remote tier: it says it is shared across processes,
 * records the reads, fences and invalidations asked of it, and can fail writes, refuse fences, or act
 * during a read.
 */
public final class RemotePort implements CachePort {
    private final InMemoryCachePort delegate;
    public final AtomicInteger gets = new AtomicInteger();
    public final List<CacheKey> requested = new CopyOnWriteArrayList<>();
    public final List<Fence> fences = new CopyOnWriteArrayList<>();
    public final AtomicInteger invalidations = new AtomicInteger();
    public volatile Runnable duringGet = () -> {};
    public volatile Runnable beforeInvalidate = () -> {};
    public volatile boolean failWrites;
    /** Every call fails, as a Redis that is down does. */
    public volatile boolean down;

    public final List<ReconnectListener> reconnectListeners = new CopyOnWriteArrayList<>();
    public volatile boolean fenceHolds = true;
    public volatile Set<Capability> capabilities = Set.of(Capability.SHARED_ACROSS_PROCESSES);

    public RemotePort(ManualClock clock) {
        this.delegate = new InMemoryCachePort(clock);
    }

    @Override
    public String name() {
        return "remote";
    }

    @Override
    public Optional<CacheEntry<?>> get(CacheKey key) {
        failIfDown();
        gets.incrementAndGet();
        requested.add(key);
        Optional<CacheEntry<?>> found = delegate.get(key);
        duringGet.run();
        return found;
    }

    @Override
    public Map<CacheKey, CacheEntry<?>> getAll(Collection<CacheKey> keys) {
        failIfDown();
        gets.incrementAndGet();
        requested.addAll(keys);
        Map<CacheKey, CacheEntry<?>> found = delegate.getAll(keys);
        duringGet.run();
        return found;
    }

    @Override
    public void put(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        failIfDown();
        if (failWrites) {
            throw new CacheBackendException(name(), "connection refused");
        }
        delegate.put(key, entry, keepFor);
    }

    @Override
    public boolean putFenced(CacheKey key, CacheEntry<?> entry, Duration keepFor, Fence fence) {
        fences.add(fence);
        if (!fenceHolds) {
            return false;
        }
        put(key, entry, keepFor);
        return true;
    }

    @Override
    public void invalidate(CacheKey key) {
        beforeInvalidate.run();
        failIfDown();
        invalidations.incrementAndGet();
        delegate.invalidate(key);
    }

    @Override
    public void invalidateKind(DataKind<?> kind) {
        failIfDown();
        invalidations.incrementAndGet();
        delegate.invalidateKind(kind);
    }

    @Override
    public void onReconnect(ReconnectListener listener) {
        reconnectListeners.add(listener);
    }

    /** The store answers again, as Redis coming back does; {@code lostEntries} if it restarted empty. */
    public void comeBack(boolean lostEntries) {
        down = false;
        if (lostEntries) {
            List<CacheKey> all = new java.util.ArrayList<>();
            delegate.forEachEntry((key, entry) -> all.add(key));
            all.forEach(delegate::invalidate);
        }
        reconnectListeners.forEach(listener -> listener.reconnected(lostEntries));
    }

    private void failIfDown() {
        if (down) {
            throw new CacheBackendException(name(), "connection refused");
        }
    }

    @Override
    public void forEachEntry(java.util.function.BiConsumer<CacheKey, CacheEntry<?>> action) {
        failIfDown();
        if (!capabilities.contains(Capability.ENUMERATES_ENTRIES)) {
            throw new UnsupportedOperationException(name() + " cannot enumerate its entries");
        }
        delegate.forEachEntry(action);
    }

    @Override
    public BackendStatistics statistics() {
        return delegate.statistics();
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
