package io.huddle.core.tiered;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.Fence;
import io.huddle.core.spi.InvalidationBus;
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
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The near cache: a local port (Caffeine) in front of a remote one (Redis), composed as one
 * {@link CachePort}. A read of a fresh, verified local copy costs no network round trip; a local
 * miss, or a local copy past its freshness or its verification, reads the remote tier and keeps what
 * it found locally; writes and invalidations go to both.
 *
 * <p><b>Verified copies.</b> A local copy is verified for {@link Builder#localTtl} (10 seconds
 * unless set) after this port read it from the remote tier or wrote it there; after that, a read
 * checks the remote tier again. Give the engine that uses this port an {@link InvalidationBus} that
 * reaches every server (the Redis one): the engine announces every write to this shared port on it,
 * and every other server drops its local copy of the key ({@link #forgetLocal}). A bus that may have
 * lost messages says so, and the engine then {@link #distrustLocal distrusts} the local tier: every
 * copy becomes unverified at once. A read from the remote tier that overlaps an invalidation does
 * not keep its result locally, so a late read cannot put back a copy that was just dropped.
 *
 * <p><b>The longest a local copy can be served as fresh without being checked</b> is {@code
 * localTtl}, whatever happens to the bus. Local copies are kept longer, until their own stale-until:
 * an unverified copy is never fresh ({@link CacheEntry#unverified()}) but stays the fallback that the
 * engine serves under stale-if-error when neither the remote tier nor the upstream can answer.
 *
 * <p><b>While the remote tier is unreachable</b> the port answers from its local tier: verified
 * copies as they are, the others unverified. After a failure it leaves the remote tier alone for
 * {@link Builder#remoteRetryInterval} (one second unless set), then lets one read try it again, so an
 * outage costs each request no connection attempt. Invalidations that could not reach the remote tier
 * are kept and replayed once it answers again.
 *
 * <p><b>When the remote tier comes back without its entries</b> (Redis restarted empty, which the
 * remote port tells through {@link CachePort#onReconnect}), the port writes back every entry its
 * local tier holds, with the entries' own instants, never over a newer one ({@link #putIfNewer}); a
 * read that finds the remote tier missing a key it holds meanwhile writes that one back at once. The
 * fleet refills the shared tier from what its servers hold, not from the upstream. The local port
 * must then enumerate its entries ({@link Capability#ENUMERATES_ENTRIES}, as Caffeine's does).
 *
 * <p>Use one tiered port per engine: the local tier is the process's own. Thread-safe.
 *
 * <pre>{@code
 * CachePort near = TieredCachePort.builder(CaffeineCachePort.builder().build(), redisPort).build();
 * }</pre>
 */
public final class TieredCachePort implements CachePort {
    private static final Logger log = LoggerFactory.getLogger(TieredCachePort.class);

    /** How long a copy is verified when none is set: the bound on serving it unchecked. */
    public static final Duration DEFAULT_LOCAL_TTL = Duration.ofSeconds(10);

    /** How long the remote tier is left alone after a failure when none is set. */
    public static final Duration DEFAULT_REMOTE_RETRY_INTERVAL = Duration.ofSeconds(1);

    private static final Set<Capability> PASSED_THROUGH =
            EnumSet.of(Capability.SHARED_ACROSS_PROCESSES, Capability.SURVIVES_RESTART, Capability.COUNTS_ENTRIES);

    private final CachePort remotePort;
    private final Duration localTtl;
    private final InstantSource clock;
    private final LocalCopies local;
    private final RemoteTier remote;
    private final RemoteReads reads;
    private final WriteBack writeBack;

    private TieredCachePort(Builder builder) {
        this.remotePort = builder.remote;
        this.localTtl = builder.localTtl;
        this.clock = builder.clock;
        this.local = new LocalCopies(builder.local, clock, localTtl);
        this.remote = new RemoteTier(remotePort, builder.remoteRetryInterval);
        this.reads = new RemoteReads(remotePort, local);
        this.writeBack = new WriteBack(local, remote, reads, clock);
        remotePort.onReconnect(this::remoteReconnected);
    }

    /** A builder of a near cache with {@code local} in front of {@code remote}. */
    public static Builder builder(CachePort local, CachePort remote) {
        return new Builder(local, remote);
    }

    @Override
    public String name() {
        return local.port.name() + '+' + remotePort.name();
    }

    /**
     * The local copy if it is fresh and verified; otherwise the remote tier's entry, which another
     * server may have refreshed (kept and verified locally from then on). When the remote tier has
     * nothing for the key, or cannot be reached, the local copy is returned (unverified unless it is
     * still verified), so that it can be served stale; while the remote tier is refilled after losing
     * its entries, the local copy is written back and returned as it is.
     */
    @Override
    public Optional<CacheEntry<?>> get(CacheKey key) {
        Optional<CacheEntry<?>> near = local.port.get(key);
        Instant now = clock.instant();
        if (near.isPresent() && local.servesFresh(key, near.get(), now)) {
            return near;
        }
        Optional<CacheEntry<?>> far;
        try {
            far = remote.call(() -> reads.shared(key));
        } catch (CacheBackendException e) {
            if (near.isPresent()) {
                return Optional.of(local.asFallback(key, near.get(), now));
            }
            throw e;
        }
        if (far.isPresent() || near.isEmpty()) {
            return far;
        }
        return Optional.of(writeBack.standIn(key, near.get(), now));
    }

    /** Reads the remote tier afresh, never joining a read under way, and keeps what it found locally. */
    @Override
    public Optional<CacheEntry<?>> getLatest(CacheKey key) {
        return remote.call(() -> reads.latest(key));
    }

    /**
     * As {@link #get}, for many keys: one local read, and one remote read for the keys it did not
     * answer fresh and verified.
     */
    @Override
    public Map<CacheKey, CacheEntry<?>> getAll(Collection<CacheKey> keys) {
        Map<CacheKey, CacheEntry<?>> near = local.port.getAll(keys);
        Map<CacheKey, CacheEntry<?>> found = new LinkedHashMap<>();
        Instant now = clock.instant();
        List<CacheKey> toRead = new ArrayList<>();
        for (CacheKey key : keys) {
            CacheEntry<?> copy = near.get(key);
            if (copy != null && local.servesFresh(key, copy, now)) {
                found.put(key, copy);
            } else {
                toRead.add(key);
            }
        }
        if (toRead.isEmpty()) {
            return found;
        }
        Map<CacheKey, Long> before = new HashMap<>();
        toRead.forEach(key -> before.put(key, local.changes.of(key)));
        Map<CacheKey, CacheEntry<?>> far;
        try {
            far = remote.call(() -> remotePort.getAll(toRead));
        } catch (CacheBackendException e) {
            if (near.isEmpty()) {
                throw e;
            }
            toRead.forEach(key -> {
                CacheEntry<?> copy = near.get(key);
                if (copy != null) {
                    found.put(key, local.asFallback(key, copy, now));
                }
            });
            return found;
        }
        for (CacheKey key : toRead) {
            CacheEntry<?> entry = far.get(key);
            CacheEntry<?> copy = near.get(key);
            if (entry != null) {
                local.keepRead(key, entry, before.get(key));
                found.put(key, entry);
            } else if (copy != null) {
                found.put(key, writeBack.standIn(key, copy, now));
            }
        }
        return found;
    }

    /**
     * Stores the entry in the remote tier, then in the local one. If the remote tier fails, the entry
     * is still kept locally (so that this server keeps answering) and the failure is thrown.
     */
    @Override
    public void put(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        local.changes.key(key);
        try {
            remote.run(() -> remotePort.put(key, entry, keepFor));
        } finally {
            local.changes.key(key);
            local.keepOwn(key, entry, keepFor);
        }
    }

    /**
     * Stores the entry in the remote tier if the fence holds there, and then locally; if the fence no
     * longer holds, drops the local copy instead. If the remote tier fails, the entry is kept locally
     * and the failure thrown, as {@link #put} does.
     */
    @Override
    public boolean putFenced(CacheKey key, CacheEntry<?> entry, Duration keepFor, Fence fence) {
        local.changes.key(key);
        boolean stored = true;
        try {
            stored = remote.call(() -> remotePort.putFenced(key, entry, keepFor, fence));
        } finally {
            local.changes.key(key);
            if (stored) {
                local.keepOwn(key, entry, keepFor);
            } else {
                local.drop(key);
            }
        }
        return stored;
    }

    /**
     * Stores the entry in the remote tier unless it holds a newer one, and then locally; when the
     * remote tier holds a newer one, the local copy is dropped (the next read fetches the newer one).
     * If the remote tier fails, the entry is kept locally unless the local tier holds a newer one, and
     * the failure thrown.
     */
    @Override
    public boolean putIfNewer(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        local.changes.key(key);
        boolean stored = false;
        boolean reached = false;
        try {
            stored = remote.call(() -> remotePort.putIfNewer(key, entry, keepFor));
            reached = true;
        } finally {
            local.changes.key(key);
            if (!reached) {
                if (local.port.putIfNewer(key, entry, keepFor)) {
                    local.verified.mark(key);
                }
            } else if (stored) {
                local.keepOwn(key, entry, keepFor);
            } else {
                local.drop(key);
            }
        }
        return stored;
    }

    /**
     * Removes the key from the remote tier, then from the local one (even if the remote tier failed:
     * then the invalidation is kept and replayed once the remote tier answers again).
     */
    @Override
    public void invalidate(CacheKey key) {
        local.changes.key(key);
        try {
            remote.run(() -> remotePort.invalidate(key));
        } catch (CacheBackendException e) {
            remote.pending.add(key);
            throw e;
        } finally {
            local.changes.key(key);
            local.drop(key);
        }
    }

    /** Removes the kind from the remote tier, then from the local one, as {@link #invalidate} does. */
    @Override
    public void invalidateKind(DataKind<?> kind) {
        local.changes.all();
        try {
            remote.run(() -> remotePort.invalidateKind(kind));
        } catch (CacheBackendException e) {
            remote.pending.add(kind);
            throw e;
        } finally {
            local.changes.all();
            local.drop(kind);
        }
    }

    /** Drops the key from the local tier only: another server changed it in the remote one. */
    @Override
    public void forgetLocal(CacheKey key) {
        local.changes.key(key);
        local.drop(key);
    }

    /** Drops the kind from the local tier only. */
    @Override
    public void forgetLocal(DataKind<?> kind) {
        local.changes.all();
        local.drop(kind);
    }

    /**
     * Keeps every local copy, unverified: none is served fresh again before it is read from the
     * remote tier, and each stays the fallback of stale-if-error.
     */
    @Override
    public void distrustLocal(Collection<? extends DataKind<?>> kinds) {
        local.changes.all();
        local.verified.forgetAll();
    }

    /** Passes a listener to the remote tier, whose reconnections are this port's. */
    @Override
    public void onReconnect(ReconnectListener listener) {
        remotePort.onReconnect(listener);
    }

    /** The remote tier's entries and unreadable entries (the shared truth), the local tier's evictions. */
    @Override
    public BackendStatistics statistics() {
        BackendStatistics far = remotePort.statistics();
        BackendStatistics near = local.port.statistics();
        return new BackendStatistics(far.entriesByKind(), near.evictionsByKind(), far.unreadableByKind());
    }

    /**
     * Visits the remote tier's entries when it enumerates them (the shared store holds what every
     * server wrote), else the local tier's. A failing remote tier fails the visit with {@link
     * CacheBackendException}; the local tier is not visited instead, so nothing is visited twice.
     */
    @Override
    public void forEachEntry(BiConsumer<CacheKey, CacheEntry<?>> action) {
        if (remotePort.capabilities().contains(Capability.ENUMERATES_ENTRIES)) {
            remote.run(() -> remotePort.forEachEntry(action));
        } else {
            local.port.forEachEntry(action);
        }
    }

    /** As {@link #forEachEntry(BiConsumer)}, for the given kinds. */
    @Override
    public void forEachEntry(Collection<? extends DataKind<?>> kinds, BiConsumer<CacheKey, CacheEntry<?>> action) {
        if (remotePort.capabilities().contains(Capability.ENUMERATES_ENTRIES)) {
            remote.run(() -> remotePort.forEachEntry(kinds, action));
        } else {
            local.port.forEachEntry(kinds, action);
        }
    }

    /**
     * The remote tier's sharing, durability and counting; a hit may be a decoded copy. It enumerates
     * its entries when either tier does (see {@link #forEachEntry(BiConsumer)}).
     */
    @Override
    public Set<Capability> capabilities() {
        Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        capabilities.addAll(remotePort.capabilities());
        capabilities.retainAll(PASSED_THROUGH);
        if (remotePort.capabilities().contains(Capability.ENUMERATES_ENTRIES)
                || local.port.capabilities().contains(Capability.ENUMERATES_ENTRIES)) {
            capabilities.add(Capability.ENUMERATES_ENTRIES);
        }
        return capabilities;
    }

    /** Closes both tiers, the local one first. Idempotent. */
    @Override
    public void close() {
        writeBack.stop();
        try {
            local.port.close();
        } finally {
            remotePort.close();
        }
    }

    /**
     * What this port wrote back to the remote tier after it lost its entries: entries stored, and
     * entries the remote tier already held newer.
     */
    public WriteBackStatistics writeBackStatistics() {
        return writeBack.statistics();
    }

    /** Counts of the write-back; see {@link #writeBackStatistics()}. */
    public record WriteBackStatistics(long written, long refusedAsOlder, long rounds) {}

    @Override
    public String toString() {
        return "TieredCachePort{local=" + local.port + ", remote=" + remotePort + ", localTtl=" + localTtl + '}';
    }

    /** The remote port reached its store again; if the store lost its entries, refill it from here. */
    private void remoteReconnected(boolean storeLostEntries) {
        remote.reconnected();
        if (storeLostEntries) {
            log.warn("the remote tier {} lost its entries; writing back what the local tier holds", remotePort.name());
            writeBack.start();
        }
    }

    /** Builds a {@link TieredCachePort}. Not thread-safe. */
    public static final class Builder {
        private final CachePort local;
        private final CachePort remote;
        private Duration localTtl = DEFAULT_LOCAL_TTL;
        private Duration remoteRetryInterval = DEFAULT_REMOTE_RETRY_INTERVAL;
        private InstantSource clock = InstantSource.system();

        private Builder(CachePort local, CachePort remote) {
            this.local = Objects.requireNonNull(local, "local");
            this.remote = Objects.requireNonNull(remote, "remote");
            if (local == remote) {
                throw new IllegalArgumentException("the local and the remote tier must be two ports");
            }
        }

        /**
         * How long a local copy is served without checking the remote tier, and so the longest it can
         * be served fresh though stale if every message about it is lost; positive. Default 10 s.
         */
        public Builder localTtl(Duration localTtl) {
            this.localTtl = Arguments.positive("localTtl", localTtl);
            return this;
        }

        /**
         * How long the remote tier is left alone after it failed, before one read tries it again;
         * zero tries it on every read. Default 1 s.
         */
        public Builder remoteRetryInterval(Duration interval) {
            this.remoteRetryInterval = Arguments.notNegative("remoteRetryInterval", interval);
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
