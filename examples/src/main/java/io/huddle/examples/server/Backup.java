package io.huddle.examples.server;

import io.huddle.core.snapshot.CacheSnapshots;
import io.huddle.core.snapshot.SnapshotException;
import io.huddle.core.snapshot.SnapshotRestored;
import io.huddle.core.snapshot.SnapshotSchedule;
import io.huddle.core.spi.CachePort;
import io.huddle.sports.SportsKinds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's backup of its cache: restored from the snapshot file at start-up, before the first
 * answer and never over a newer entry; then written on a schedule and once more at shutdown. A
 * snapshot that cannot be read is reported and the server starts without it: nothing of it is
 * loaded.
 */
final class Backup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Backup.class);

    private final SnapshotSchedule schedule;
    private final SnapshotRestored restored;
    private final String restoreFailure;

    private Backup(SnapshotSchedule schedule, SnapshotRestored restored, String restoreFailure) {
        this.schedule = schedule;
        this.restored = restored;
        this.restoreFailure = restoreFailure;
    }

    /**
     * Restores the snapshot (if any) into the port, then starts writing it.
     *
     * @param port the port the engine answers from
     * @param clock the engine's clock
     * @param every how often to write (zero: only at shutdown)
     */
    static Backup restoreAndSchedule(CachePort port, InstantSource clock, Path file, Duration every) {
        CacheSnapshots snapshots =
                CacheSnapshots.builder(SportsKinds.ALL).clock(clock).build();
        createParent(file);
        SnapshotRestored restored = null;
        String failure = null;
        try {
            restored = snapshots.restore(port, file);
            if (restored.found()) {
                log.info(
                        "restored {} entries from {} ({} older than stored, {} expired, {} of unknown kinds)",
                        restored.restored(),
                        file,
                        restored.olderThanStored(),
                        restored.expired(),
                        restored.unknownKind());
            }
        } catch (SnapshotException e) {
            failure = e.getMessage();
            log.warn("{}; starting without it", failure);
        }
        SnapshotSchedule schedule = every.isZero()
                ? SnapshotSchedule.onCloseOnly(snapshots, port, file)
                : SnapshotSchedule.start(snapshots, port, file, every);
        return new Backup(schedule, restored, failure);
    }

    private static void createParent(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the snapshot's directory " + parent, e);
        }
    }

    /** The schedule writing the snapshots. */
    SnapshotSchedule schedule() {
        return schedule;
    }

    /** What the start-up restore put back, unless the file could not be read. */
    Optional<SnapshotRestored> restored() {
        return Optional.ofNullable(restored);
    }

    /** Why the snapshot could not be restored, if it could not. */
    Optional<String> restoreFailure() {
        return Optional.ofNullable(restoreFailure);
    }

    /** Writes the last snapshot and stops the schedule. */
    @Override
    public void close() {
        schedule.close();
    }
}
