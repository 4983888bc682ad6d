package io.huddle.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.KindCounter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The in-process tier: a {@link CachePort} on Caffeine. Entries are kept as objects (a hit never
 * copies or serialises), each for its own keep-for duration, and the number of entries is bounded
 * (W-TinyLFU picks what to evict). Evictions are counted per kind: Caffeine's size evictions from
 * its eviction events, and expired entries as they are found.
 *
 * <p>Expiry is the port's own, not Caffeine's per-entry {@code Expiry} (whose bookkeeping on every
 * read costs more than the rest of a hit): each stored entry carries the ticker reading at which it
 * must go, a read compares it with one ticker reading and removes an entry past it, and the entries
 * nobody reads are swept out at most once a {@link #SWEEP_INTERVAL} by writes, and by {@link
 * #statistics()}. Until then an expired entry takes a place within the size bound, as in any
 * Caffeine cache between maintenance runs.
 *
 * <pre>{@code
 * CachePort local = CaffeineCachePort.builder().maximumSize(50_000).build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class CaffeineCachePort implements CachePort {
    /** The bound on entries when none is set. */
    public static final long DEFAULT_MAXIMUM_SIZE = 100_000;

    /** How often writes sweep out the expired entries nobody read. */
    public static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    /** An entry with the ticker reading at which it must go. */
    private record Stored(CacheEntry<?> entry, long expiresAtNanos) {
        boolean expiredAt(long nowNanos) {
            return nowNanos - expiresAtNanos >= 0;
        }
    }

    /**
     * A kind and an id that look up the stored {@link CacheKey} of that kind and id: same hash
     * ({@link CacheKey#hashOf}), and equal to that key. Only ever passed to a lookup, whose map
     * compares it as {@code lookup.equals(storedKey)}; never stored.
     */
    private static final class Lookup {
        private final DataKind<?> kind;
        private final String id;
        private final int hash;

        Lookup(DataKind<?> kind, String id) {
            this.kind = kind;
            this.id = id;
            this.hash = CacheKey.hashOf(kind, id);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof CacheKey key && id.equals(key.id()) && kind.equals(key.kind());
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return kind.name() + ':' + id;
        }
    }

    private final Cache<CacheKey, Stored> cache;
    /** {@link #cache} itself, for lookups by a {@link Lookup}. */
    private final Cache<Object, Stored> lookups;

    private final Ticker ticker;
    private final KindCounter evictions = new KindCounter();
    private final AtomicLong nextSweepAt;
    private volatile boolean closed;

    private CaffeineCachePort(Builder builder) {
        this.ticker = builder.clock == null ? Ticker.systemTicker() : nanosOf(builder.clock);
        this.cache = Caffeine.newBuilder()
                .maximumSize(builder.maximumSize)
                .executor(Runnable::run)
                .evictionListener(this::onEviction)
                .build();
        @SuppressWarnings("unchecked")
        Cache<Object, Stored> sameCache = (Cache<Object, Stored>) (Cache<?, Stored>) cache;
        this.lookups = sameCache;
        this.nextSweepAt = new AtomicLong(ticker.read() + SWEEP_INTERVAL.toNanos());
    }

    /** A builder; see its setters for the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A port with every default: {@value #DEFAULT_MAXIMUM_SIZE} entries, the system ticker. */
    public static CaffeineCachePort create() {
        return builder().build();
    }

    @Override
    public String name() {
        return "caffeine";
    }

    @Override
    public Optional<CacheEntry<?>> get(CacheKey key) {
        ensureOpen();
        Stored stored = cache.getIfPresent(key);
        if (stored == null) {
            return Optional.empty();
        }
        if (stored.expiredAt(ticker.read())) {
            expire(key, stored);
            return Optional.empty();
        }
        return Optional.of(stored.entry);
    }

    /**
     * The hit path: one lookup, no ticker reading, no allocation. An entry past its keep-for that no
     * read or sweep has removed yet is returned as it is; its stale-until has passed, which the
     * caller checks (see {@link CachePort#getOrNull}).
     */
    @Override
    public CacheEntry<?> getOrNull(CacheKey key) {
        ensureOpen();
        Stored stored = cache.getIfPresent(key);
        return stored == null ? null : stored.entry;
    }

    /**
     * The engine's hit path: {@link #getOrNull(CacheKey)} without a key built or the id checked. The
     * lookup goes through the same cache, under its one size bound, with a {@link Lookup} that
     * equals the stored key of that kind and id; an id no key accepts equals no stored key.
     */
    @Override
    public CacheEntry<?> getOrNull(DataKind<?> kind, String id) {
        ensureOpen();
        Stored stored = lookups.getIfPresent(new Lookup(kind, id));
        return stored == null ? null : stored.entry;
    }

    @Override
    public Map<CacheKey, CacheEntry<?>> getAll(Collection<CacheKey> keys) {
        ensureOpen();
        Map<CacheKey, CacheEntry<?>> found = new HashMap<>();
        long now = ticker.read();
        cache.getAllPresent(keys).forEach((key, stored) -> {
            if (stored.expiredAt(now)) {
                expire(key, stored);
            } else {
                found.put(key, stored.entry);
            }
        });
        return found;
    }

    @Override
    public void put(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        ensureOpen();
        Objects.requireNonNull(entry, "entry");
        if (keepFor.isNegative() || keepFor.isZero()) {
            cache.invalidate(key);
            return;
        }
        long now = ticker.read();
        cache.put(key, new Stored(entry, now + saturatedNanos(keepFor)));
        sweepIfDue(now);
    }

    /** Checks and writes in one atomic step of the cache's map. */
    @Override
    public boolean putIfNewer(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        ensureOpen();
        Objects.requireNonNull(entry, "entry");
        boolean[] stored = {false};
        long now = ticker.read();
        cache.asMap().compute(key, (k, current) -> {
            if (current != null && current.expiredAt(now)) {
                // an expired entry is no entry: it goes, counted as Caffeine counts an expiry
                evictions.increment(k.kind());
            } else if (current != null && !current.entry.writtenAt().isBefore(entry.writtenAt())) {
                return current;
            }
            stored[0] = true;
            return keepFor.isNegative() || keepFor.isZero() ? null : new Stored(entry, now + saturatedNanos(keepFor));
        });
        sweepIfDue(now);
        return stored[0];
    }

    @Override
    public void invalidate(CacheKey key) {
        ensureOpen();
        cache.invalidate(key);
    }

    @Override
    public void invalidateKind(DataKind<?> kind) {
        ensureOpen();
        cache.asMap().keySet().removeIf(key -> key.kind().equals(kind));
    }

    @Override
    public BackendStatistics statistics() {
        ensureOpen();
        sweep(ticker.read());
        cache.cleanUp();
        Map<String, Long> entries = new HashMap<>();
        cache.asMap().keySet().forEach(key -> entries.merge(key.kind().name(), 1L, Long::sum));
        return new BackendStatistics(entries, evictions.snapshot());
    }

    /** Visits the entries not yet expired, from a weakly consistent view of the cache. */
    @Override
    public void forEachEntry(BiConsumer<CacheKey, CacheEntry<?>> action) {
        ensureOpen();
        long now = ticker.read();
        cache.asMap().forEach((key, stored) -> {
            if (!stored.expiredAt(now)) {
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
        cache.invalidateAll();
        cache.cleanUp();
    }

    private void ensureOpen() {
        if (closed) {
            throw new CacheBackendException(name(), "the port is closed");
        }
    }

    /** Removes an entry found expired, unless it was replaced meanwhile, and counts it as evicted. */
    private void expire(CacheKey key, Stored stored) {
        if (cache.asMap().remove(key, stored)) {
            evictions.increment(key.kind());
        }
    }

    /** Sweeps out the expired entries if the last sweep is {@link #SWEEP_INTERVAL} ago; one writer does. */
    private void sweepIfDue(long now) {
        long due = nextSweepAt.get();
        if (now - due >= 0 && nextSweepAt.compareAndSet(due, now + SWEEP_INTERVAL.toNanos())) {
            sweep(now);
        }
    }

    private void sweep(long now) {
        cache.asMap().forEach((key, stored) -> {
            if (stored.expiredAt(now)) {
                expire(key, stored);
            }
        });
    }

    private void onEviction(CacheKey key, Stored stored, RemovalCause cause) {
        if (key != null) {
            evictions.increment(key.kind());
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }

    private static Ticker nanosOf(InstantSource clock) {
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    /** Builds a {@link CaffeineCachePort}. Not thread-safe. */
    public static final class Builder {
        private long maximumSize = DEFAULT_MAXIMUM_SIZE;
        private InstantSource clock;

        private Builder() {}

        /** The most entries kept; default {@value CaffeineCachePort#DEFAULT_MAXIMUM_SIZE}. */
        public Builder maximumSize(long maximumSize) {
            this.maximumSize = Arguments.positive("maximumSize", maximumSize);
            return this;
        }

        /**
         * The clock that entries expire by; default Caffeine's system ticker. Pass the engine's clock
         * (a {@code ManualClock} in tests) so that both agree on time.
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The port. */
        public CaffeineCachePort build() {
            return new CaffeineCachePort(this);
        }
    }
}
