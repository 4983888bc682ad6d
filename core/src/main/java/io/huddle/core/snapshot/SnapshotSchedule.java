package io.huddle.core.snapshot;

import io.huddle.core.internal.Arguments;
import io.huddle.core.internal.DaemonThreads;
import io.huddle.core.internal.QuietLog;
import io.huddle.core.spi.CachePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a snapshot of a port every so often on a daemon thread, and once more on {@link #close()}:
 * register {@code close} as a shutdown hook (or call it when the server stops) and the last snapshot
 * holds what the port held at the end.
 *
 * <pre>{@code
 * SnapshotSchedule schedule = SnapshotSchedule.start(snapshots, port, file, Duration.ofMinutes(5));
 * Runtime.getRuntime().addShutdownHook(new Thread(schedule::close));
 * schedule.lastWritten().map(written -> written.ageAt(clock.instant())); // for a dashboard
 * }</pre>
 *
 * <p>A failed write never stops the schedule: it is counted ({@link #failures()}), kept as {@link
 * #lastFailure()}, logged once per burst, and the next period tries again; the previous snapshot file
 * stays as it was. Writes never overlap: the scheduled ones, {@link #writeNow()} and the last one of
 * {@link #close()} take turns. The snapshot's instants come from the {@link CacheSnapshots}' clock;
 * the period is real time. Thread-safe.
 */
public final class SnapshotSchedule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotSchedule.class);

    private final CacheSnapshots snapshots;
    private final CachePort port;
    private final Path file;
    private final ScheduledExecutorService executor;
    private final QuietLog quietLog = new QuietLog(log);
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Object writing = new Object();
    private volatile SnapshotWritten lastWritten;
    private volatile RuntimeException lastFailure;
    private boolean closed;

    private SnapshotSchedule(CacheSnapshots snapshots, CachePort port, Path file, Duration every) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.port = Objects.requireNonNull(port, "port");
        this.file = Objects.requireNonNull(file, "file");
        this.executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("huddle-snapshot"));
        if (every != null) {
            long period = Arguments.positive("every", every).toMillis();
            executor.scheduleWithFixedDelay(this::writeQuietly, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Writes a snapshot of the port to {@code file} every {@code every}, the first one {@code every}
     * from now (restore first, then start the schedule), and once more on {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code every} is not positive
     */
    public static SnapshotSchedule start(CacheSnapshots snapshots, CachePort port, Path file, Duration every) {
        Objects.requireNonNull(every, "every");
        return new SnapshotSchedule(snapshots, port, file, every);
    }

    /** A schedule without periodic writes: only {@link #writeNow()} and the last write of {@link #close()}. */
    public static SnapshotSchedule onCloseOnly(CacheSnapshots snapshots, CachePort port, Path file) {
        return new SnapshotSchedule(snapshots, port, file, null);
    }

    /**
     * Writes a snapshot now, after any write under way, and records it as the last one.
     *
     * @throws SnapshotException if the file cannot be written (counted as a failure)
     * @throws io.huddle.core.spi.CacheBackendException if the port fails (counted as a failure)
     */
    public SnapshotWritten writeNow() {
        synchronized (writing) {
            try {
                SnapshotWritten written = snapshots.write(port, file);
                lastWritten = written;
                writes.incrementAndGet();
                return written;
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                lastFailure = e;
                throw e;
            }
        }
    }

    /** The last snapshot written through this schedule, if any: its time, counts and size. */
    public Optional<SnapshotWritten> lastWritten() {
        return Optional.ofNullable(lastWritten);
    }

    /** The last write that failed, if any, whether or not a later one succeeded. */
    public Optional<RuntimeException> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** Snapshots written through this schedule. */
    public long writes() {
        return writes.get();
    }

    /** Writes through this schedule that failed. */
    public long failures() {
        return failures.get();
    }

    /** The snapshot file. */
    public Path file() {
        return file;
    }

    /**
     * Stops the schedule, waits for a write under way, and writes one last snapshot; a failure of that
     * write is logged and counted, not thrown, so that a shutdown hook finishes. Idempotent: only the
     * first call writes.
     */
    @Override
    public void close() {
        synchronized (writing) {
            if (closed) {
                return;
            }
            closed = true;
            executor.shutdown();
            try {
                SnapshotWritten written = writeNow();
                log.info("snapshot of {} entries written to {} on close", written.entries(), file);
            } catch (RuntimeException e) {
                log.warn("the last snapshot could not be written to {}: {}", file, e.getMessage());
            }
        }
    }

    private void writeQuietly() {
        synchronized (writing) {
            if (closed) {
                return;
            }
            try {
                writeNow();
            } catch (RuntimeException e) {
                // logged once per burst: a full disk fails every period
                quietLog.warn("snapshot to {} failed, the previous one stays: {}", file, e.getMessage());
            }
        }
    }
}
