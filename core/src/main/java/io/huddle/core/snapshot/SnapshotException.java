package io.huddle.core.snapshot;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A snapshot file could not be written, or could not be read: it is not a snapshot, it is corrupt
 * or truncated, of a format version this build does not read, or larger than allowed. When reading
 * fails, nothing of the file was put into the port. The message names the file and the problem in one
 * sentence, fit for a log line.
 */
public final class SnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    /**
     * @param file the snapshot file
     * @param problem what is wrong, such as {@code "truncated: no trailer after 12 entries"}
     */
    public SnapshotException(Path file, String problem) {
        this(file, problem, null);
    }

    /** As {@link #SnapshotException(Path, String)}, with the failure that caused it. */
    public SnapshotException(Path file, String problem, Throwable cause) {
        super("snapshot " + file + ": " + problem, cause);
        this.file = Objects.requireNonNull(file, "file");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The snapshot file. */
    public Path file() {
        return file;
    }

    /** What is wrong with it, without the file's name. */
    public String problem() {
        return problem;
    }
}
