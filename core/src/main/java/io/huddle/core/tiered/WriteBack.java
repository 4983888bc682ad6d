package io.huddle.core.tiered;

import io.huddle.core.api.CacheKey;
import io.huddle.core.internal.DaemonThreads;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes back every local copy to the remote tier after it lost its entries, on a daemon thread of
 * its own; a second loss while one runs starts another round when it ends. Meanwhile a read that
 * finds the remote tier missing a local copy writes that one back at once. Thread-safe.
 */
final class WriteBack {
    private static final Logger log = LoggerFactory.getLogger(TieredCachePort.class);

    private final LocalCopies local;
    private final RemoteTier remote;
    private final RemoteReads reads;
    private final InstantSource clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final LongAdder written = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder rounds = new LongAdder();
    private volatile boolean stopped;

    WriteBack(LocalCopies local, RemoteTier remote, RemoteReads reads, InstantSource clock) {
        this.local = local;
        this.remote = remote;
        this.reads = reads;
        this.clock = clock;
    }

    /** Starts a round, or another one after the round under way. */
    void start() {
        if (stopped) {
            return;
        }
        again.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        DaemonThreads.start("huddle-write-back-" + remote.port.name(), this::run);
    }

    private void run() {
        try {
            while (again.getAndSet(false) && !stopped) {
                rounds.increment();
                remote.replayPending();
                if (!local.port.capabilities().contains(CachePort.Capability.ENUMERATES_ENTRIES)) {
                    log.warn("the local tier {} cannot list its entries: nothing written back", local.port.name());
                    return;
                }
                long before = written.sum();
                local.port.forEachEntry((key, copy) -> {
                    if (!stopped && remote.mayTry()) {
                        writeBackOne(key, copy, clock.instant());
                    }
                });
                log.info("wrote back {} entries to the remote tier {}", written.sum() - before, remote.port.name());
            }
        } catch (RuntimeException e) {
            log.warn("writing back to the remote tier {} stopped: {}", remote.port.name(), e.toString());
        } finally {
            running.set(false);
        }
    }

    /**
     * What a local copy the remote tier does not hold stands for: while the remote tier is refilled
     * after losing its entries, the copy written back (or the newer entry another server wrote back
     * meanwhile); otherwise the copy unverified, a fallback only.
     */
    CacheEntry<?> standIn(CacheKey key, CacheEntry<?> copy, Instant now) {
        if (running.get()) {
            if (writeBackOne(key, copy, now)) {
                return copy;
            }
            Optional<CacheEntry<?>> newer = remote.call(() -> reads.latest(key));
            if (newer.isPresent()) {
                return newer.get();
            }
        }
        return copy.unverified();
    }

    /** Writes one local copy back to the remote tier; whether it now stands there. */
    private boolean writeBackOne(CacheKey key, CacheEntry<?> copy, Instant now) {
        Duration keepFor = copy.keepFor(now);
        if (keepFor.isZero() || remote.pending.covers(key)) {
            return false;
        }
        try {
            boolean stored = remote.port.putIfNewer(key, copy.verifiedAgain(), keepFor);
            (stored ? written : refused).increment();
            if (stored) {
                local.verified.mark(key);
            }
            return stored;
        } catch (CacheBackendException e) {
            remote.failed();
            return false;
        }
    }

    void stop() {
        stopped = true;
    }

    TieredCachePort.WriteBackStatistics statistics() {
        return new TieredCachePort.WriteBackStatistics(written.sum(), refused.sum(), rounds.sum());
    }
}
