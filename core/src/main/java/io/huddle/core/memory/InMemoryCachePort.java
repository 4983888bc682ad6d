package io.huddle.core.memory;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.KindCounter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;

/**
 * The reference {@link CachePort}: an unbounded map in this process that forgets an entry when its
 * keep-for runs out, by the injected clock. It proves the contract kit and serves tests; use the
 * Caffeine adapter in production, which bounds its size. Thread-safe.
 */
public final class InMemoryCachePort implements CachePort {
    private record Stored(CacheEntry<?> entry, Instant expiresAt) {}

    private final InstantSource clock;
    private final ConcurrentMap<CacheKey, Stored> entries = new ConcurrentHashMap<>();
    private final KindCounter evictions = new KindCounter();
    private volatile boolean closed;

    /** A port that reads expiry from the given clock. */
    public InMemoryCachePort(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A port on the system clock. */
    public InMemoryCachePort() {
        this(InstantSource.system());
    }

    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public Optional<CacheEntry<?>> get(CacheKey key) {
        ensureOpen();
        Stored stored = entries.get(key);
        if (stored == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(stored.expiresAt) && entries.remove(key, stored)) {
            evictions.increment(key.kind());
            return Optional.empty();
        }
        return Optional.of(stored.entry);
    }

    @Override
    public void put(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        ensureOpen();
        Objects.requireNonNull(entry, "entry");
        if (keepFor.isNegative() || keepFor.isZero()) {
            entries.remove(key);
            return;
        }
        entries.put(key, new Stored(entry, clock.instant().plus(keepFor)));
    }

    /** Checks and writes in one atomic step of the map. */
    @Override
    public boolean putIfNewer(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        ensureOpen();
        Objects.requireNonNull(entry, "entry");
        Instant now = clock.instant();
        boolean[] stored = {false};
        entries.compute(key, (k, current) -> {
            if (current != null
                    && now.isBefore(current.expiresAt)
                    && !current.entry.writtenAt().isBefore(entry.writtenAt())) {
                return current;
            }
            stored[0] = true;
            return keepFor.isNegative() || keepFor.isZero() ? null : new Stored(entry, now.plus(keepFor));
        });
        return stored[0];
    }

    @Override
    public void invalidate(CacheKey key) {
        ensureOpen();
        entries.remove(key);
    }

    @Override
    public void invalidateKind(DataKind<?> kind) {
        ensureOpen();
        entries.keySet().removeIf(key -> key.kind().equals(kind));
    }

    @Override
    public BackendStatistics statistics() {
        ensureOpen();
        Instant now = clock.instant();
        Map<String, Long> byKind = new HashMap<>();
        entries.forEach((key, stored) -> {
            if (now.isBefore(stored.expiresAt)) {
                byKind.merge(key.kind().name(), 1L, Long::sum);
            }
        });
        return new BackendStatistics(byKind, evictions.snapshot());
    }

    @Override
    public void forEachEntry(BiConsumer<CacheKey, CacheEntry<?>> action) {
        ensureOpen();
        Instant now = clock.instant();
        entries.forEach((key, stored) -> {
            if (now.isBefore(stored.expiresAt)) {
                action.accept(key, stored.entry);
            }
        });
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.STORES_OBJECTS, Capability.COUNTS_ENTRIES, Capability.ENUMERATES_ENTRIES);
    }

    @Override
    public void close() {
        closed = true;
        entries.clear();
    }

    private void ensureOpen() {
        if (closed) {
            throw new CacheBackendException(name(), "the port is closed");
        }
    }
}
