package io.huddle.core.snapshot;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one restore did. Every entry line of the file is counted once: {@code restored + olderThanStored
 * + expired + unknownKind + unreadable} is the number of entry lines.
 *
 * @param file the snapshot file
 * @param takenAt when the snapshot was taken (its header's time); empty when there was no file
 * @param restored the entries put into the port
 * @param olderThanStored the entries not put because the port held one written at or after them
 * @param expired the entries past their stale-until by now, not put
 * @param unknownKind the entries of kinds the application did not name, not put
 * @param unreadable the entries the codec could not decode (another schema version, or a value that
 *     no longer maps to its kind's type), not put
 * @param took how long the restore took, measured on the monotonic clock
 */
public record SnapshotRestored(
        Path file,
        Optional<Instant> takenAt,
        long restored,
        long olderThanStored,
        long expired,
        long unknownKind,
        long unreadable,
        Duration took) {
    /** Checks that no part is null. */
    public SnapshotRestored {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(took, "took");
    }

    /** The result of restoring from a file that does not exist: nothing, and no error. */
    static SnapshotRestored noSnapshot(Path file) {
        return new SnapshotRestored(file, Optional.empty(), 0, 0, 0, 0, 0, Duration.ZERO);
    }

    /** Whether there was a snapshot file to restore from. */
    public boolean found() {
        return takenAt.isPresent();
    }
}
