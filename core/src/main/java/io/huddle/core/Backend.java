package io.huddle.core;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.StatsCounter;
import io.huddle.core.internal.QuietLog;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.Fence;
import io.huddle.core.spi.Invalidation;
import io.huddle.core.spi.InvalidationBus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's access to its {@link CachePort}: a failure is counted, logged once per burst, and
 * treated as a miss (or skipped); writes to a shared backend are announced on the bus. Thread-safe.
 */
final class Backend {
    private static final Logger log = LoggerFactory.getLogger(SharedCache.class);

    final CachePort port;
    final String origin;
    private final InstantSource clock;
    private final InvalidationBus bus;
    private final boolean announceWrites;
    private final QuietLog errorLog = new QuietLog(log);

    Backend(CachePort port, InstantSource clock, InvalidationBus bus, String origin) {
        this.port = port;
        this.clock = clock;
        this.bus = bus;
        this.origin = origin;
        // other servers read what is written to a shared backend: tell them to drop their local copies
        this.announceWrites = port.capabilities().contains(CachePort.Capability.SHARED_ACROSS_PROCESSES);
    }

    /**
     * What {@link #read} returns when the port failed: no entry, and the backend is down. Compared by
     * identity; never stored nor served.
     */
    static final CacheEntry<?> UNREACHABLE = CacheEntry.notFound(Instant.EPOCH, Instant.EPOCH, 0);

    /** What a read of many keys found, and whether the backend answered at all. */
    record ReadAll(Map<CacheKey, CacheEntry<?>> entries, boolean backendUp) {}

    /**
     * The port's entry of the kind and id (not checked: a bad id has no entry; see {@link
     * CachePort#getOrNull(DataKind, String)}), null if it holds none, or {@link #UNREACHABLE} if the port failed
     * (counted and logged). No allocation: this is the hit path's read. The entry may be past its
     * stale-until (see {@link CachePort#getOrNull}): the caller checks.
     */
    CacheEntry<?> read(DataKind<?> kind, String id, StatsCounter stats) {
        try {
            return port.getOrNull(kind, id);
        } catch (RuntimeException e) {
            failed("read", kind.name() + ':' + id, stats, e);
            return UNREACHABLE;
        }
    }

    /** The port's entries of the keys; none (and {@code backendUp} false) if the port failed. */
    ReadAll readAll(Collection<CacheKey> keys, StatsCounter stats) {
        try {
            return new ReadAll(port.getAll(keys), true);
        } catch (RuntimeException e) {
            failed("read", keys.size() + " keys", stats, e);
            return new ReadAll(Map.of(), false);
        }
    }

    /**
     * Looks again, just before loading, at what the backend holds now (see {@link
     * CachePort#getLatest}): the entry if it is fresh.
     */
    Optional<CacheEntry<?>> recheck(CacheKey key, StatsCounter stats) {
        return recheck(key, stats, 0);
    }

    /** As {@link #recheck(CacheKey, StatsCounter)}, the entry if it is fresh {@code marginMillis} from now. */
    Optional<CacheEntry<?>> recheck(CacheKey key, StatsCounter stats, long marginMillis) {
        CacheEntry<?> entry;
        try {
            entry = port.getLatest(key).orElse(null);
        } catch (RuntimeException e) {
            failed("read", key, stats, e);
            return Optional.empty();
        }
        return entry != null && entry.isFreshAt(clock.instant().plusMillis(marginMillis))
                ? Optional.of(entry)
                : Optional.empty();
    }

    /**
     * Stores the entry, fenced when the load held a lease, and on a shared backend tells the other
     * servers to drop their local copies of the key (also when the write failed: it may have reached
     * the backend all the same). A fenced write refused because the lease was lost stores and
     * announces nothing: the key changed meanwhile, or another server loads it; the callers that
     * waited for this load on this server still get its value.
     */
    void write(CacheKey key, CacheEntry<?> entry, StatsCounter stats, Instant now, Optional<Fence> fence) {
        store(
                key,
                stats,
                entry.keepFor(now),
                keepFor -> fence.isPresent()
                        ? port.putFenced(key, entry, keepFor, fence.get())
                        : putUnfenced(key, entry, keepFor));
    }

    /**
     * Stores the late result of an abandoned load unless the key holds an entry at least as new
     * (checked atomically by a shared port), and announces it if stored.
     */
    void writeIfNewer(CacheKey key, CacheEntry<?> entry, StatsCounter stats, Instant now) {
        Duration keepFor = entry.keepFor(now);
        if (!keepFor.isZero()) {
            store(key, stats, keepFor, kept -> port.putIfNewer(key, entry, kept));
        }
    }

    /** How a write reaches the backend; whether it stored the entry. */
    @FunctionalInterface
    private interface Store {
        boolean store(Duration keepFor);
    }

    /**
     * Runs the write and, on a shared backend, announces it; a failed write is announced too: it may
     * still have reached the shared backend (a timeout after it was applied).
     */
    private void store(CacheKey key, StatsCounter stats, Duration keepFor, Store write) {
        boolean stored;
        try {
            stored = write.store(keepFor);
        } catch (RuntimeException e) {
            failed("write", key, stats, e);
            stored = true;
        }
        if (stored && announceWrites) {
            bus.publish(Invalidation.ofKey(origin, key));
        }
    }

    private boolean putUnfenced(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        port.put(key, entry, keepFor);
        return true;
    }

    /** Runs a call of the port; a failure is counted against the kind and logged. */
    void run(String operation, Object target, StatsCounter stats, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            failed(operation, target, stats, e);
        }
    }

    private void failed(String operation, Object target, StatsCounter stats, RuntimeException e) {
        stats.recordBackendError();
        trouble(operation, target, e);
    }

    /** Logs a failure of the port (once per burst) that no kind is charged with. */
    void trouble(String operation, Object target, RuntimeException e) {
        errorLog.warn("cache backend failed to {} {}; carrying on without it", operation, target, e);
    }

    /** The port's own counts; none if it cannot tell them now. */
    BackendStatistics statistics() {
        try {
            return port.statistics();
        } catch (RuntimeException e) {
            trouble("count", "entries", e);
            return BackendStatistics.EMPTY;
        }
    }

    /** The port's counts of one kind as statistics with every engine counter zero. */
    static CacheStatistics countsOf(BackendStatistics counts, String kind) {
        return CacheStatistics.builder()
                .entries(counts.entries(kind))
                .evictions(counts.evictions(kind))
                .unreadable(counts.unreadable(kind))
                .build();
    }

    /** The port's total counts as statistics with every engine counter zero. */
    static CacheStatistics totalsOf(BackendStatistics counts) {
        return CacheStatistics.builder()
                .entries(counts.entries())
                .evictions(counts.evictions())
                .unreadable(counts.unreadable())
                .build();
    }
}
