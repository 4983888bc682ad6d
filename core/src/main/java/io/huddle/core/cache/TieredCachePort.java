package io.huddle.core.cache;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The near cache: a local port (Caffeine) in front of a remote one (Redis), composed as one
 * {@link CachePort}. A read of a fresh local copy costs no network round trip; a local miss, or a
 * local copy past its freshness (another server may have refreshed it), reads the remote tier and
 * keeps what it found locally; writes and invalidations go to both.
 *
 * <p><b>Keeping local copies true.</b> Give the engine that uses this port an {@link
 * InvalidationBus} that reaches every server (the Redis one): the engine announces every write to
 * this shared port on it, and every other server drops its local copy of the key ({@link
 * #forgetLocal}). A bus that may have lost messages says so, and the engine then drops the whole
 * local tier. A read from the remote tier that overlaps an invalidation does not keep its result
 * locally, so a late read cannot put back a copy that was just dropped.
 *
 * <p><b>The longest a local copy can be stale</b> is its local lifetime, {@link Builder#localTtl}
 * (10 seconds unless set): each local copy is kept for that long at most, then read again from the
 * remote tier. That bound holds whatever happens to the bus; while the bus works, a copy is
 * dropped as soon as the change's message arrives (a round trip through Redis).
 *
 * <p>Use one tiered port per engine: the local tier is the process's own. Thread-safe.
 *
 * <pre>{@code
 * CachePort near = TieredCachePort.builder(CaffeineCachePort.builder().build(), redisPort).build();
 * }</pre>
 */
public final class TieredCachePort implements CachePort {
    /** The local lifetime of a copy when none is set: the bound on its staleness. */
    public static final Duration DEFAULT_LOCAL_TTL = Duration.ofSeconds(10);

    private static final Set<Capability> PASSED_THROUGH =
            EnumSet.of(Capability.SHARED_ACROSS_PROCESSES, Capability.SURVIVES_RESTART, Capability.COUNTS_ENTRIES);

    private final CachePort local;
    private final CachePort remote;
    private final Duration localTtl;
    private final InstantSource clock;
    /**
     * Bumped by every write and invalidation, so that a remote read that overlapped one keeps nothing
     * locally (its result may be older than what was written or removed).
     */
    private final AtomicLong invalidations = new AtomicLong();

    private TieredCachePort(Builder builder) {
        this.local = builder.local;
        this.remote = builder.remote;
        this.localTtl = builder.localTtl;
        this.clock = builder.clock;
    }

    /** A builder of a near cache with {@code local} in front of {@code remote}. */
    public static Builder builder(CachePort local, CachePort remote) {
        return new Builder(local, remote);
    }

    @Override
    public String name() {
        return local.name() + '+' + remote.name();
    }

    /**
     * The local copy if it is fresh; otherwise the remote tier's entry, which another server may have
     * refreshed (kept locally from then on). A local copy past its freshness is still returned when
     * the remote tier has nothing or fails, so that it can be served stale.
     */
    @Override
    public Optional<CacheEntry<?>> get(CacheKey key) {
        Optional<CacheEntry<?>> near = local.get(key);
        if (near.isPresent() && near.get().isFreshAt(clock.instant())) {
            return near;
        }
        long before = invalidations.get();
        Optional<CacheEntry<?>> far;
        try {
            far = remote.get(key);
        } catch (CacheBackendException e) {
            if (near.isPresent()) {
                return near;
            }
            throw e;
        }
        far.ifPresent(entry -> keepLocally(key, entry, before));
        return far.isPresent() ? far : near;
    }

    /** As {@link #get}, for many keys: one local read, and one remote read for the keys it did not answer fresh. */
    @Override
    public Map<CacheKey, CacheEntry<?>> getAll(Collection<CacheKey> keys) {
        Map<CacheKey, CacheEntry<?>> found = new LinkedHashMap<>(local.getAll(keys));
        Instant now = clock.instant();
        List<CacheKey> toRead = new ArrayList<>();
        for (CacheKey key : keys) {
            CacheEntry<?> near = found.get(key);
            if (near == null || !near.isFreshAt(now)) {
                toRead.add(key);
            }
        }
        if (toRead.isEmpty()) {
            return found;
        }
        long before = invalidations.get();
        Map<CacheKey, CacheEntry<?>> far;
        try {
            far = remote.getAll(toRead);
        } catch (CacheBackendException e) {
            if (found.isEmpty()) {
                throw e;
            }
            return found;
        }
        far.forEach((key, entry) -> keepLocally(key, entry, before));
        found.putAll(far);
        return found;
    }

    /**
     * Stores the entry in the remote tier, then in the local one. If the remote tier fails, the entry
     * is still kept locally (so that this server keeps answering) and the failure is thrown.
     */
    @Override
    public void put(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        invalidations.incrementAndGet();
        try {
            remote.put(key, entry, keepFor);
        } finally {
            local.put(key, entry, localKeepFor(keepFor));
        }
    }

    /**
     * Stores the entry in the remote tier if the fence holds there, and then locally; if the fence no
     * longer holds, drops the local copy instead. If the remote tier fails, the entry is kept locally
     * and the failure thrown, as {@link #put} does.
     */
    @Override
    public boolean putFenced(CacheKey key, CacheEntry<?> entry, Duration keepFor, Fence fence) {
        invalidations.incrementAndGet();
        boolean stored = true;
        try {
            stored = remote.putFenced(key, entry, keepFor, fence);
        } finally {
            if (stored) {
                local.put(key, entry, localKeepFor(keepFor));
            } else {
                local.invalidate(key);
            }
        }
        return stored;
    }

    @Override
    public void invalidate(CacheKey key) {
        invalidations.incrementAndGet();
        local.invalidate(key);
        remote.invalidate(key);
    }

    @Override
    public void invalidateKind(DataKind<?> kind) {
        invalidations.incrementAndGet();
        local.invalidateKind(kind);
        remote.invalidateKind(kind);
    }

    /** Drops the key from the local tier only: another server changed it in the remote one. */
    @Override
    public void forgetLocal(CacheKey key) {
        invalidations.incrementAndGet();
        local.invalidate(key);
    }

    /** Drops the kind from the local tier only. */
    @Override
    public void forgetLocal(DataKind<?> kind) {
        invalidations.incrementAndGet();
        local.invalidateKind(kind);
    }

    /** The remote tier's entries and unreadable entries (the shared truth), the local tier's evictions. */
    @Override
    public BackendStatistics statistics() {
        BackendStatistics far = remote.statistics();
        BackendStatistics near = local.statistics();
        return new BackendStatistics(far.entriesByKind(), near.evictionsByKind(), far.unreadableByKind());
    }

    /** The remote tier's sharing, durability and counting; a hit may be a decoded copy. */
    @Override
    public Set<Capability> capabilities() {
        Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        capabilities.addAll(remote.capabilities());
        capabilities.retainAll(PASSED_THROUGH);
        return capabilities;
    }

    /** Closes both tiers, the local one first. Idempotent. */
    @Override
    public void close() {
        try {
            local.close();
        } finally {
            remote.close();
        }
    }

    @Override
    public String toString() {
        return "TieredCachePort{local=" + local + ", remote=" + remote + ", localTtl=" + localTtl + '}';
    }

    private void keepLocally(CacheKey key, CacheEntry<?> entry, long invalidationsBefore) {
        if (invalidations.get() != invalidationsBefore) {
            return;
        }
        Instant now = clock.instant();
        Duration keepFor = localKeepFor(entry.keepFor(now));
        if (keepFor.isZero()) {
            return;
        }
        local.put(key, entry, keepFor);
        // an invalidation that arrived while this copy was being stored must not be undone by it
        if (invalidations.get() != invalidationsBefore) {
            local.invalidate(key);
        }
    }

    private Duration localKeepFor(Duration keepFor) {
        return keepFor.compareTo(localTtl) < 0 ? keepFor : localTtl;
    }

    /** Builds a {@link TieredCachePort}. Not thread-safe. */
    public static final class Builder {
        private final CachePort local;
        private final CachePort remote;
        private Duration localTtl = DEFAULT_LOCAL_TTL;
        private InstantSource clock = InstantSource.system();

        private Builder(CachePort local, CachePort remote) {
            this.local = Objects.requireNonNull(local, "local");
            this.remote = Objects.requireNonNull(remote, "remote");
            if (local == remote) {
                throw new IllegalArgumentException("the local and the remote tier must be two ports");
            }
        }

        /**
         * The longest a copy is kept in the local tier, and so the longest it can be stale if every
         * message about it is lost; positive.
         */
        public Builder localTtl(Duration localTtl) {
            this.localTtl = Arguments.positive("localTtl", localTtl);
            return this;
        }

        /** The clock that tells how long a remote entry has left; the engine's clock. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The near cache. */
        public TieredCachePort build() {
            return new TieredCachePort(this);
        }
    }
}
