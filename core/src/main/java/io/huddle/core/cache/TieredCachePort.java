package io.huddle.core.cache;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

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
    /** Changes made or heard here, so that a remote read can tell whether its key changed meanwhile. */
    private final Changes changes = new Changes();

    private final ConcurrentMap<CacheKey, RemoteRead> reading = new ConcurrentHashMap<>();

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
        Optional<CacheEntry<?>> far;
        try {
            far = readRemoteShared(key);
        } catch (CacheBackendException e) {
            if (near.isPresent()) {
                return near;
            }
            throw e;
        }
        return far.isPresent() ? far : near;
    }

    /** Reads the remote tier afresh, never joining a read under way, and keeps what it found locally. */
    @Override
    public Optional<CacheEntry<?>> getLatest(CacheKey key) {
        return readRemote(key, changes.of(key));
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
        Map<CacheKey, Long> before = new HashMap<>();
        toRead.forEach(key -> before.put(key, changes.of(key)));
        Map<CacheKey, CacheEntry<?>> far;
        try {
            far = remote.getAll(toRead);
        } catch (CacheBackendException e) {
            if (found.isEmpty()) {
                throw e;
            }
            return found;
        }
        far.forEach((key, entry) -> keepLocally(key, entry, before.get(key)));
        found.putAll(far);
        return found;
    }

    /**
     * Stores the entry in the remote tier, then in the local one. If the remote tier fails, the entry
     * is still kept locally (so that this server keeps answering) and the failure is thrown.
     */
    @Override
    public void put(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        changes.key(key);
        try {
            remote.put(key, entry, keepFor);
        } finally {
            changes.key(key);
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
        changes.key(key);
        boolean stored = true;
        try {
            stored = remote.putFenced(key, entry, keepFor, fence);
        } finally {
            changes.key(key);
            if (stored) {
                local.put(key, entry, localKeepFor(keepFor));
            } else {
                local.invalidate(key);
            }
        }
        return stored;
    }

    /** Removes the key from the remote tier, then from the local one (even if the remote tier failed). */
    @Override
    public void invalidate(CacheKey key) {
        changes.key(key);
        try {
            remote.invalidate(key);
        } finally {
            changes.key(key);
            local.invalidate(key);
        }
    }

    /** Removes the kind from the remote tier, then from the local one (even if the remote tier failed). */
    @Override
    public void invalidateKind(DataKind<?> kind) {
        changes.all();
        try {
            remote.invalidateKind(kind);
        } finally {
            changes.all();
            local.invalidateKind(kind);
        }
    }

    /** Drops the key from the local tier only: another server changed it in the remote one. */
    @Override
    public void forgetLocal(CacheKey key) {
        changes.key(key);
        local.invalidate(key);
    }

    /** Drops the kind from the local tier only. */
    @Override
    public void forgetLocal(DataKind<?> kind) {
        changes.all();
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

    /**
     * Reads the key from the remote tier, sharing the read with the callers that ask for the same key
     * while it is under way (a burst of users on one cold key costs one round trip per server, not
     * one each). A read under way is joined only if its key was not written or invalidated since it
     * began, so a joiner never gets an answer older than its own question.
     */
    private Optional<CacheEntry<?>> readRemoteShared(CacheKey key) {
        long before = changes.of(key);
        RemoteRead mine = new RemoteRead(before, new CompletableFuture<>());
        RemoteRead running = reading.putIfAbsent(key, mine);
        if (running != null) {
            return running.since == before ? running.join() : readRemote(key, before);
        }
        try {
            Optional<CacheEntry<?>> far = readRemote(key, before);
            mine.result.complete(far);
            return far;
        } catch (RuntimeException | Error e) {
            mine.result.completeExceptionally(e);
            throw e;
        } finally {
            reading.remove(key, mine);
        }
    }

    private Optional<CacheEntry<?>> readRemote(CacheKey key, long changesBefore) {
        Optional<CacheEntry<?>> far = remote.get(key);
        far.ifPresent(entry -> keepLocally(key, entry, changesBefore));
        return far;
    }

    /** A remote read under way, and the count of its key's changes when it began. */
    private record RemoteRead(long since, CompletableFuture<Optional<CacheEntry<?>>> result) {
        Optional<CacheEntry<?>> join() {
            try {
                return result.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CacheBackendException("tiered", "interrupted while reading the remote tier", e);
            }
        }
    }

    private void keepLocally(CacheKey key, CacheEntry<?> entry, long changesBefore) {
        if (changes.of(key) != changesBefore) {
            return;
        }
        Instant now = clock.instant();
        Duration keepFor = localKeepFor(entry.keepFor(now));
        if (keepFor.isZero()) {
            return;
        }
        local.put(key, entry, keepFor);
        // a change that came while this copy was being stored must not be undone by it
        if (changes.of(key) != changesBefore) {
            local.invalidate(key);
        }
    }

    private Duration localKeepFor(Duration keepFor) {
        return keepFor.compareTo(localTtl) < 0 ? keepFor : localTtl;
    }

    /**
     * Counts changes (writes and invalidations, made here or heard from other servers) per stripe of
     * keys, and kind-wide ones everywhere. A write or invalidation counts once before it reaches the
     * remote tier and once after: a remote read that overlaps it in any way sees the count move, and
     * then neither keeps its answer locally nor lets a later caller join it. Striped rather than one
     * counter, so that a busy fleet's changes to other keys do not keep the local tier empty.
     */
    private static final class Changes {
        private static final int STRIPES = 64;

        private final AtomicLongArray byStripe = new AtomicLongArray(STRIPES);
        private final AtomicLong everywhere = new AtomicLong();

        /** A count that moves whenever the key changes; both parts only grow, so their sum does too. */
        long of(CacheKey key) {
            return byStripe.get(stripe(key)) + everywhere.get();
        }

        void key(CacheKey key) {
            byStripe.incrementAndGet(stripe(key));
        }

        void all() {
            everywhere.incrementAndGet();
        }

        private static int stripe(CacheKey key) {
            return Math.floorMod(key.hashCode() * 0x9E3779B9, STRIPES);
        }
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
