package io.huddle.ehcache;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.KindCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.ehcache.Cache;
import org.ehcache.PersistentCacheManager;
import org.ehcache.config.CacheConfiguration;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheEventListenerConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.event.CacheEvent;
import org.ehcache.event.CacheEventListener;
import org.ehcache.event.EventType;
import org.ehcache.expiry.ExpiryPolicy;
import org.ehcache.impl.internal.TimeSourceConfiguration;

/**
 * The single-server tier that survives a restart: a {@link CachePort} on Ehcache 3 with a heap tier
 * (sized in entries), an optional off-heap tier and a persistent disk tier (both sized in
 * megabytes) in a directory of its own.
 *
 * <pre>{@code
 * CachePort disk = EhcacheCachePort.builder(Path.of("/var/cache/huddle"))
 *         .heapEntries(10_000)
 *         .offHeapMegabytes(32)
 *         .diskMegabytes(256)
 *         .build();
 * }</pre>
 *
 * <p>Entries are encoded by an {@link EntryCodec} (JSON envelope with a schema version) and kept as
 * bytes, each for its own keep-for duration by the port's clock. The expiry instant is stored with
 * the bytes, so an entry read back after a restart keeps only the time it had left, and one whose
 * time passed while the port was closed is gone. An entry that cannot be decoded is absent and
 * counted as unreadable. A full disk tier evicts entries; it does not fail writes. Evictions, and
 * expired entries that Ehcache removes, are counted per kind; invalidations are not.
 *
 * <p>{@link #invalidateKind}, {@link #statistics} and {@link #forEachEntry} walk every entry: they cost O(entries). Many
 * keys are read one by one: Ehcache 3.12's own bulk read fails (UnsupportedOperationException) when
 * it meets a key another thread is faulting in from a lower tier.
 *
 * <p>Ehcache locks its directory: one open port per directory, in any process. {@link #close()}
 * flushes the disk tier and releases the lock. Thread-safe.
 */
public final class EhcacheCachePort implements CachePort {
    /** The entries kept on the heap when no number is set. */
    public static final long DEFAULT_HEAP_ENTRIES = 10_000;
    /** The off-heap tier's size in megabytes when none is set. */
    public static final long DEFAULT_OFF_HEAP_MEGABYTES = 32;
    /** The disk tier's size in megabytes when none is set. */
    public static final long DEFAULT_DISK_MEGABYTES = 256;
    /** The name of the Ehcache cache, within the directory, when none is set. */
    public static final String DEFAULT_CACHE_NAME = "huddle";

    private static final String NAME = "ehcache";

    private final Path directory;
    private final InstantSource clock;
    private final EntryCodec codec;
    private final KindCounter evictions = new KindCounter();
    private final PersistentCacheManager manager;
    private final Cache<String, byte[]> cache;
    private volatile boolean closed;

    private EhcacheCachePort(Builder builder) {
        this.directory = builder.directory;
        this.clock = builder.clock;
        this.codec = builder.codec == null ? EntryCodec.json() : builder.codec;
        try {
            this.manager = CacheManagerBuilder.newCacheManagerBuilder()
                    .using(new TimeSourceConfiguration(clock::millis))
                    .with(CacheManagerBuilder.persistence(directory.toFile()))
                    .withCache(builder.cacheName, configuration(builder))
                    .build(true);
        } catch (RuntimeException e) {
            throw new CacheBackendException(
                    NAME, "cannot open the disk store in " + directory + ": " + messageChain(e), e);
        }
        this.cache = manager.getCache(builder.cacheName, String.class, byte[].class);
    }

    /**
     * A builder for a port keeping its disk tier in {@code directory}; see the builder's setters for
     * the defaults.
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<CacheEntry<?>> get(CacheKey key) {
        Objects.requireNonNull(key, "key");
        byte[] stored = backend("read " + key, () -> cache.get(storeKey(key)));
        return stored == null ? Optional.empty() : codec.decode(key, StoredBytes.envelope(stored));
    }

    @Override
    public void put(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        ensureOpen();
        Objects.requireNonNull(entry, "entry");
        putEnvelope(key, codec.encode(key, entry), keepFor);
    }

    /**
     * Stores envelope bytes as they are, for {@code keepFor}: the write half of {@link #put}, open to
     * the package so that tests can store bytes the codec would not write.
     */
    void putEnvelope(CacheKey key, byte[] envelope, Duration keepFor) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keepFor, "keepFor");
        if (keepFor.isNegative() || keepFor.isZero()) {
            invalidate(key);
            return;
        }
        byte[] stored = StoredBytes.of(expiresAtMillis(keepFor), envelope);
        backend("write " + key, () -> {
            cache.put(storeKey(key), stored);
            return null;
        });
    }

    @Override
    public void invalidate(CacheKey key) {
        Objects.requireNonNull(key, "key");
        backend("remove " + key, () -> {
            cache.remove(storeKey(key));
            return null;
        });
    }

    /** Removes every entry of the kind; walks every entry to find them, O(entries). */
    @Override
    public void invalidateKind(DataKind<?> kind) {
        String prefix = kind.name() + ':';
        backend("remove the kind " + kind, () -> {
            Set<String> keys = new HashSet<>();
            cache.forEach(stored -> {
                if (stored.getKey().startsWith(prefix)) {
                    keys.add(stored.getKey());
                }
            });
            cache.removeAll(keys);
            return null;
        });
    }

    /**
     * Entries held per kind (those not yet expired by the port's clock), evictions and unreadable
     * entries; walks every entry, O(entries).
     */
    @Override
    public BackendStatistics statistics() {
        Map<String, Long> entries = backend("count the entries", () -> {
            long now = clock.millis();
            Map<String, Long> byKind = new HashMap<>();
            cache.forEach(stored -> {
                if (StoredBytes.expiresAtMillis(stored.getValue()) > now) {
                    byKind.merge(kindOf(stored.getKey()), 1L, Long::sum);
                }
            });
            return byKind;
        });
        return new BackendStatistics(entries, evictions.snapshot(), codec.unreadable());
    }

    /**
     * Visits the entries of the kinds this port's codec has met since the port opened (see {@link
     * EntryCodec#kindsMet()}); after a restart, name the kinds with {@link #forEachEntry(Collection,
     * BiConsumer)}.
     */
    @Override
    public void forEachEntry(BiConsumer<CacheKey, CacheEntry<?>> action) {
        forEachEntry(codec.kindsMet(), action);
    }

    /**
     * Walks every entry through Ehcache's iterator (heap, off-heap and disk), O(entries), and visits
     * those of the given kinds not yet expired by the port's clock; an entry that cannot be decoded is
     * skipped and counted as unreadable.
     */
    @Override
    public void forEachEntry(Collection<? extends DataKind<?>> kinds, BiConsumer<CacheKey, CacheEntry<?>> action) {
        Objects.requireNonNull(action, "action");
        Map<String, DataKind<?>> byName = new HashMap<>();
        Objects.requireNonNull(kinds, "kinds").forEach(kind -> byName.put(kind.name(), kind));
        if (byName.isEmpty()) {
            ensureOpen();
            return;
        }
        String walk = "enumerate the entries";
        Iterator<Cache.Entry<String, byte[]>> stored = backend(walk, cache::iterator);
        while (backend(walk, stored::hasNext)) {
            Cache.Entry<String, byte[]> next = backend(walk, stored::next);
            DataKind<?> kind = byName.get(kindOf(next.getKey()));
            byte[] bytes = next.getValue();
            if (kind == null || bytes == null || StoredBytes.expiresAtMillis(bytes) <= clock.millis()) {
                continue;
            }
            CacheKey key;
            try {
                key = new CacheKey(kind, next.getKey().substring(next.getKey().indexOf(':') + 1));
            } catch (IllegalArgumentException notAKey) {
                codec.countUnreadable(kind, "key " + next.getKey() + ": " + notAKey.getMessage());
                continue;
            }
            Optional<CacheEntry<?>> entry = codec.decode(key, StoredBytes.envelope(bytes));
            entry.ifPresent(found -> action.accept(key, found));
        }
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.SURVIVES_RESTART, Capability.COUNTS_ENTRIES, Capability.ENUMERATES_ENTRIES);
    }

    /** Flushes the disk tier and releases the directory's lock. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            manager.close();
        } catch (RuntimeException e) {
            throw new CacheBackendException(NAME, "cannot close the disk store in " + directory, e);
        }
    }

    private CacheConfiguration<String, byte[]> configuration(Builder builder) {
        ResourcePoolsBuilder tiers = ResourcePoolsBuilder.heap(builder.heapEntries);
        if (builder.offHeapMegabytes > 0) {
            tiers = tiers.offheap(builder.offHeapMegabytes, MemoryUnit.MB);
        }
        tiers = tiers.disk(builder.diskMegabytes, MemoryUnit.MB, true);
        CacheEventListener<String, byte[]> countEvictions = this::onEvictionOrExpiry;
        return CacheConfigurationBuilder.newCacheConfigurationBuilder(String.class, byte[].class, tiers)
                .withExpiry(new StoredExpiry())
                .withService(CacheEventListenerConfigurationBuilder.newEventListenerConfiguration(
                                countEvictions, EventType.EVICTED, EventType.EXPIRED)
                        .synchronous()
                        .unordered())
                .build();
    }

    private <T> T backend(String action, Supplier<T> operation) {
        ensureOpen();
        try {
            return operation.get();
        } catch (RuntimeException e) {
            throw new CacheBackendException(NAME, "cannot " + action + " in " + directory + ": " + messageChain(e), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new CacheBackendException(NAME, "the port on " + directory + " is closed");
        }
    }

    private void onEvictionOrExpiry(CacheEvent<? extends String, ? extends byte[]> event) {
        evictions.increment(kindOf(event.getKey()));
    }

    private long expiresAtMillis(Duration keepFor) {
        try {
            return Math.addExact(clock.millis(), keepFor.toMillis());
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** Kind names hold no ':', so the first one ends the kind and the id may hold any. */
    private static String storeKey(CacheKey key) {
        return key.kind().name() + ':' + key.id();
    }

    private static String kindOf(String storeKey) {
        return storeKey.substring(0, storeKey.indexOf(':'));
    }

    /** Ehcache wraps its causes deeply, often repeating them; each distinct message once, outermost first. */
    private static String messageChain(Throwable e) {
        StringJoiner chain = new StringJoiner(" <- ");
        Set<String> seen = new HashSet<>();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && seen.add(cause.getMessage())) {
                chain.add(cause.getMessage());
            }
        }
        return seen.isEmpty() ? e.getClass().getName() : chain.toString();
    }

    /** Each entry lives until the expiry instant stored with it; reads do not extend it. */
    private final class StoredExpiry implements ExpiryPolicy<String, byte[]> {
        @Override
        public Duration getExpiryForCreation(String key, byte[] stored) {
            return remaining(stored);
        }

        @Override
        public Duration getExpiryForAccess(String key, Supplier<? extends byte[]> stored) {
            return null; // unchanged
        }

        @Override
        public Duration getExpiryForUpdate(String key, Supplier<? extends byte[]> old, byte[] stored) {
            return remaining(stored);
        }

        private Duration remaining(byte[] stored) {
            return Duration.ofMillis(Math.max(0, StoredBytes.expiresAtMillis(stored) - clock.millis()));
        }
    }

    /** Builds an {@link EhcacheCachePort}. Not thread-safe. */
    public static final class Builder {
        private final Path directory;
        private long heapEntries = DEFAULT_HEAP_ENTRIES;
        private long offHeapMegabytes = DEFAULT_OFF_HEAP_MEGABYTES;
        private long diskMegabytes = DEFAULT_DISK_MEGABYTES;
        private InstantSource clock = InstantSource.system();
        private EntryCodec codec;
        private String cacheName = DEFAULT_CACHE_NAME;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The most entries kept on the heap; default {@value EhcacheCachePort#DEFAULT_HEAP_ENTRIES}. */
        public Builder heapEntries(long heapEntries) {
            this.heapEntries = Arguments.positive("heapEntries", heapEntries);
            return this;
        }

        /**
         * The off-heap tier's size in megabytes, 0 for none; default {@value
         * EhcacheCachePort#DEFAULT_OFF_HEAP_MEGABYTES}. It must be smaller than the disk tier.
         */
        public Builder offHeapMegabytes(long offHeapMegabytes) {
            this.offHeapMegabytes = Arguments.notNegative("offHeapMegabytes", offHeapMegabytes);
            return this;
        }

        /** The disk tier's size in megabytes; default {@value EhcacheCachePort#DEFAULT_DISK_MEGABYTES}. */
        public Builder diskMegabytes(long diskMegabytes) {
            this.diskMegabytes = Arguments.positive("diskMegabytes", diskMegabytes);
            return this;
        }

        /**
         * The clock that entries expire by, also after a restart; default the system clock. Pass the
         * engine's clock (a {@code ManualClock} in tests) so that both agree on time.
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The codec that turns entries into bytes; default {@link EntryCodec#json()}. Give each port a
         * codec of its own: the port reports the codec's unreadable counts as its own.
         */
        public Builder codec(EntryCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** The name of the Ehcache cache inside the directory; default {@value EhcacheCachePort#DEFAULT_CACHE_NAME}. */
        public Builder cacheName(String cacheName) {
            Objects.requireNonNull(cacheName, "cacheName");
            if (cacheName.isBlank()) {
                throw new IllegalArgumentException("cacheName must not be blank");
            }
            this.cacheName = cacheName;
            return this;
        }

        /**
         * Opens the port on the directory, creating it if needed.
         *
         * @throws IllegalArgumentException if the off-heap tier is not smaller than the disk tier
         * @throws CacheBackendException if the directory cannot be used, or another open port holds it
         */
        public EhcacheCachePort build() {
            if (offHeapMegabytes >= diskMegabytes) {
                throw new IllegalArgumentException("offHeapMegabytes (" + offHeapMegabytes
                        + ") must be smaller than diskMegabytes (" + diskMegabytes
                        + "): Ehcache needs each tier smaller than the one below it");
            }
            return new EhcacheCachePort(this);
        }
    }
}
