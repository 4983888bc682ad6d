package io.huddle.core.snapshot;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What one snapshot write did.
 *
 * @param file the snapshot file, now replaced
 * @param writtenAt when the snapshot was taken, by the snapshots' clock (the time in its header)
 * @param entries the entries written
 * @param entriesByKind the entries written, by kind name
 * @param expiredSkipped the entries the port still held past their stale-until, not written
 * @param bytes the file's size, compressed
 * @param took how long the write took, measured on the monotonic clock
 */
public record SnapshotWritten(
        Path file,
        Instant writtenAt,
        long entries,
        Map<String, Long> entriesByKind,
        long expiredSkipped,
        long bytes,
        Duration took) {
    /** Checks that no part is null, and copies the map. */
    public SnapshotWritten {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(writtenAt, "writtenAt");
        entriesByKind = Map.copyOf(entriesByKind);
        Objects.requireNonNull(took, "took");
    }

    /** How old the snapshot is at {@code now}; zero if {@code now} is before it was taken. */
    public Duration ageAt(Instant now) {
        Duration age = Duration.between(writtenAt, now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
