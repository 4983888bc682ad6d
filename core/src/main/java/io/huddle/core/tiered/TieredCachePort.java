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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
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

    private final CachePort local;
    private final CachePort remote;
    private final Duration localTtl;
    private final InstantSource clock;
    /** Changes made or heard here, so that a remote read can tell whether its key changed meanwhile. */
    private final Changes changes = new Changes();

    private final ConcurrentMap<CacheKey, RemoteRead> reading = new ConcurrentHashMap<>();
    private final Verified verified;
    private final RemoteHealth health;
    private final PendingInvalidations pending = new PendingInvalidations();
    private final WriteBack writeBack;

    private TieredCachePort(Builder builder) {
        this.local = builder.local;
        this.remote = builder.remote;
        this.localTtl = builder.localTtl;
        this.clock = builder.clock;
        this.verified = new Verified(clock, localTtl);
        this.health = new RemoteHealth(builder.remoteRetryInterval);
        this.writeBack = new WriteBack();
        remote.onReconnect(this::remoteReconnected);
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
     * The local copy if it is fresh and verified; otherwise the remote tier's entry, which another
     * server may have refreshed (kept and verified locally from then on). When the remote tier has
     * nothing for the key, or cannot be reached, the local copy is returned (unverified unless it is
     * still verified), so that it can be served stale; while the remote tier is refilled after losing
     * its entries, the local copy is written back and returned as it is.
     */
    @Override
    public Optional<CacheEntry<?>> get(CacheKey key) {
        Optional<CacheEntry<?>> near = local.get(key);
        Instant now = clock.instant();
        if (near.isPresent() && near.get().isFreshAt(now) && verified.at(key, now)) {
            return near;
        }
        Optional<CacheEntry<?>> far;
        try {
            far = remoteCall(() -> readRemoteShared(key));
        } catch (CacheBackendException e) {
            if (near.isPresent()) {
                return Optional.of(asFallback(key, near.get(), now));
            }
            throw e;
        }
        if (far.isPresent() || near.isEmpty()) {
            return far;
        }
        return Optional.of(missingRemotely(key, near.get(), now));
    }

    /** Reads the remote tier afresh, never joining a read under way, and keeps what it found locally. */
    @Override
    public Optional<CacheEntry<?>> getLatest(CacheKey key) {
        return remoteCall(() -> readRemote(key, changes.of(key)));
    }

    /**
     * As {@link #get}, for many keys: one local read, and one remote read for the keys it did not
     * answer fresh and verified.
     */
    @Override
    public Map<CacheKey, CacheEntry<?>> getAll(Collection<CacheKey> keys) {
        Map<CacheKey, CacheEntry<?>> near = local.getAll(keys);
        Map<CacheKey, CacheEntry<?>> found = new LinkedHashMap<>();
        Instant now = clock.instant();
        List<CacheKey> toRead = new ArrayList<>();
        for (CacheKey key : keys) {
            CacheEntry<?> copy = near.get(key);
            if (copy != null && copy.isFreshAt(now) && verified.at(key, now)) {
                found.put(key, copy);
            } else {
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
            far = remoteCall(() -> remote.getAll(toRead));
        } catch (CacheBackendException e) {
            if (near.isEmpty()) {
                throw e;
            }
            toRead.forEach(key -> {
                CacheEntry<?> copy = near.get(key);
                if (copy != null) {
                    found.put(key, asFallback(key, copy, now));
                }
            });
            return found;
        }
        for (CacheKey key : toRead) {
            CacheEntry<?> entry = far.get(key);
            CacheEntry<?> copy = near.get(key);
            if (entry != null) {
                keepLocally(key, entry, before.get(key));
                found.put(key, entry);
            } else if (copy != null) {
                found.put(key, missingRemotely(key, copy, now));
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
        changes.key(key);
        try {
            remoteRun(() -> remote.put(key, entry, keepFor));
        } finally {
            changes.key(key);
            keepOwn(key, entry, keepFor);
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
            stored = remoteCall(() -> remote.putFenced(key, entry, keepFor, fence));
        } finally {
            changes.key(key);
            if (stored) {
                keepOwn(key, entry, keepFor);
            } else {
                dropLocal(key);
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
        changes.key(key);
        boolean stored = false;
        boolean reached = false;
        try {
            stored = remoteCall(() -> remote.putIfNewer(key, entry, keepFor));
            reached = true;
        } finally {
            changes.key(key);
            if (!reached) {
                if (local.putIfNewer(key, entry, keepFor)) {
                    verified.mark(key);
                }
            } else if (stored) {
                keepOwn(key, entry, keepFor);
            } else {
                dropLocal(key);
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
        changes.key(key);
        try {
            remoteRun(() -> remote.invalidate(key));
        } catch (CacheBackendException e) {
            pending.add(key);
            throw e;
        } finally {
            changes.key(key);
            dropLocal(key);
        }
    }

    /** Removes the kind from the remote tier, then from the local one, as {@link #invalidate} does. */
    @Override
    public void invalidateKind(DataKind<?> kind) {
        changes.all();
        try {
            remoteRun(() -> remote.invalidateKind(kind));
        } catch (CacheBackendException e) {
            pending.add(kind);
            throw e;
        } finally {
            changes.all();
            local.invalidateKind(kind);
            verified.forget(kind);
        }
    }

    /** Drops the key from the local tier only: another server changed it in the remote one. */
    @Override
    public void forgetLocal(CacheKey key) {
        changes.key(key);
        dropLocal(key);
    }

    /** Drops the kind from the local tier only. */
    @Override
    public void forgetLocal(DataKind<?> kind) {
        changes.all();
        local.invalidateKind(kind);
        verified.forget(kind);
    }

    /**
     * Keeps every local copy, unverified: none is served fresh again before it is read from the
     * remote tier, and each stays the fallback of stale-if-error.
     */
    @Override
    public void distrustLocal(Collection<? extends DataKind<?>> kinds) {
        changes.all();
        verified.forgetAll();
    }

    /** Passes a listener to the remote tier, whose reconnections are this port's. */
    @Override
    public void onReconnect(ReconnectListener listener) {
        remote.onReconnect(listener);
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
        writeBack.stop();
        try {
            local.close();
        } finally {
            remote.close();
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
        return "TieredCachePort{local=" + local + ", remote=" + remote + ", localTtl=" + localTtl + '}';
    }

    /**
     * What a local copy the remote tier does not hold stands for: while the remote tier is refilled
     * after losing its entries, the copy written back (or the newer entry another server wrote back
     * meanwhile); otherwise the copy unverified, a fallback only.
     */
    private CacheEntry<?> missingRemotely(CacheKey key, CacheEntry<?> copy, Instant now) {
        if (writeBack.isRunning()) {
            if (writeBackOne(key, copy, now)) {
                return copy;
            }
            Optional<CacheEntry<?>> newer = remoteCall(() -> readRemote(key, changes.of(key)));
            if (newer.isPresent()) {
                return newer.get();
            }
        }
        return copy.unverified();
    }

    /** A local copy as the fallback when the remote tier cannot answer: as it is while verified. */
    private CacheEntry<?> asFallback(CacheKey key, CacheEntry<?> copy, Instant now) {
        return verified.at(key, now) ? copy : copy.unverified();
    }

    /** Keeps this port's own write locally, verified: it is what the remote tier holds, or should. */
    private void keepOwn(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        local.put(key, entry, keepFor);
        if (keepFor.isZero()) {
            verified.forget(key);
        } else {
            verified.mark(key);
        }
    }

    private void dropLocal(CacheKey key) {
        local.invalidate(key);
        verified.forget(key);
    }

    // ---- the remote tier's health, and what follows when it answers again

    /** Runs a call of the remote tier unless it is resting after a failure; notes the outcome. */
    private <T> T remoteCall(java.util.function.Supplier<T> call) {
        if (!health.mayTry()) {
            throw new CacheBackendException(remote.name(), "unreachable a moment ago; answering from the local tier");
        }
        T result;
        try {
            result = call.get();
        } catch (CacheBackendException e) {
            health.failed();
            throw e;
        }
        if (health.succeeded() || !pending.isEmpty()) {
            replayPending();
        }
        return result;
    }

    private void remoteRun(Runnable call) {
        remoteCall(() -> {
            call.run();
            return null;
        });
    }

    /** Replays the invalidations that could not reach the remote tier, oldest first, while it answers. */
    private void replayPending() {
        pending.replay(key -> remote.invalidate(key), kind -> remote.invalidateKind(kind));
    }

    /** The remote port reached its store again; if the store lost its entries, refill it from here. */
    private void remoteReconnected(boolean storeLostEntries) {
        health.reset();
        if (storeLostEntries) {
            log.warn("the remote tier {} lost its entries; writing back what the local tier holds", remote.name());
            writeBack.start();
        }
    }

    /** Writes one local copy back to the remote tier during a write-back; whether it now stands there. */
    private boolean writeBackOne(CacheKey key, CacheEntry<?> copy, Instant now) {
        Duration keepFor = copy.keepFor(now);
        if (keepFor.isZero() || pending.covers(key)) {
            return false;
        }
        try {
            boolean stored = remote.putIfNewer(key, copy.verifiedAgain(), keepFor);
            writeBack.count(stored);
            if (stored) {
                verified.mark(key);
            }
            return stored;
        } catch (CacheBackendException e) {
            health.failed();
            return false;
        }
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
        Duration keepFor = entry.keepFor(clock.instant());
        if (keepFor.isZero()) {
            return;
        }
        local.put(key, entry, keepFor);
        verified.mark(key);
        // a change that came while this copy was being stored must not be undone by it
        if (changes.of(key) != changesBefore) {
            dropLocal(key);
        }
    }

    /**
     * Writes back every local copy to the remote tier after it lost its entries, on a daemon thread
     * of its own; a second loss while one runs starts another round when it ends.
     */
    private final class WriteBack {
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicBoolean again = new AtomicBoolean();
        private final LongAdder written = new LongAdder();
        private final LongAdder refused = new LongAdder();
        private final LongAdder rounds = new LongAdder();
        private volatile boolean stopped;

        boolean isRunning() {
            return running.get();
        }

        void start() {
            if (stopped) {
                return;
            }
            again.set(true);
            if (!running.compareAndSet(false, true)) {
                return;
            }
            Thread thread = new Thread(this::run, "huddle-write-back-" + remote.name());
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                while (again.getAndSet(false) && !stopped) {
                    rounds.increment();
                    replayPending();
                    if (!local.capabilities().contains(Capability.ENUMERATES_ENTRIES)) {
                        log.warn("the local tier {} cannot list its entries: nothing written back", local.name());
                        return;
                    }
                    long before = written.sum();
                    local.forEachEntry((key, copy) -> {
                        if (!stopped && health.mayTry()) {
                            writeBackOne(key, copy, clock.instant());
                        }
                    });
                    log.info("wrote back {} entries to the remote tier {}", written.sum() - before, remote.name());
                }
            } catch (RuntimeException e) {
                log.warn("writing back to the remote tier {} stopped: {}", remote.name(), e.toString());
            } finally {
                running.set(false);
            }
        }

        void count(boolean stored) {
            (stored ? written : refused).increment();
        }

        void stop() {
            stopped = true;
        }

        WriteBackStatistics statistics() {
            return new WriteBackStatistics(written.sum(), refused.sum(), rounds.sum());
        }
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
