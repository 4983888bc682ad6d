package io.huddle.core.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.core.api.CacheKey;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.spi.CacheEntry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one snapshot file: to a temporary file beside it, forced to disk, then moved over it in one
 * atomic step. Not thread-safe: one writer per write.
 */
final class SnapshotWriter {
    /** The format this build writes and reads. */
    static final String FORMAT = "huddle-snapshot";

    static final int VERSION = 1;

    private static final byte[] NEWLINE = {'\n'};

    private final Path file;
    private final ObjectMapper lines;
    private final EntryCodec codec;
    private final Instant writtenAt;

    SnapshotWriter(Path file, ObjectMapper lines, EntryCodec codec, Instant writtenAt) {
        this.file = file.toAbsolutePath();
        this.lines = lines;
        this.codec = codec;
        this.writtenAt = writtenAt;
    }

    /** What the port's visit writes into. */
    final class Out {
        private final OutputStream stream;
        private long entries;
        private long expired;
        private final Map<String, Long> byKind = new HashMap<>();

        private Out(OutputStream stream) {
            this.stream = stream;
        }

        /** Writes one entry line. */
        void entry(CacheKey key, CacheEntry<?> entry) {
            byte[] envelope = codec.encode(key, entry);
            try {
                stream.write(("{\"kind\":" + json(key.kind().name()) + ",\"id\":" + json(key.id()) + ",\"entry\":")
                        .getBytes(StandardCharsets.UTF_8));
                stream.write(envelope);
                stream.write('}');
                stream.write(NEWLINE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            entries++;
            byKind.merge(key.kind().name(), 1L, Long::sum);
        }

        /** Counts an entry left out because it is past its stale-until. */
        void expired() {
            expired++;
        }
    }

    /**
     * Writes the header, what {@code visit} writes, and the trailer, then moves the file into place.
     *
     * @throws SnapshotException if the file cannot be written or moved; the temporary file is gone
     */
    SnapshotWritten write(Consumer<Out> visit, long startedNanos) {
        Path directory = file.getParent();
        Path temporary;
        try {
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw new SnapshotException(file, "cannot create a temporary file in " + directory + ": " + e, e);
        }
        boolean moved = false;
        try {
            Out out;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                GZIPOutputStream gzip =
                        new GZIPOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
                out = new Out(gzip);
                writeLine(gzip, Map.of("format", FORMAT, "version", VERSION, "writtenAt", writtenAt.toString()));
                visit.accept(out);
                writeLine(gzip, Map.of("end", true, "entries", out.entries));
                gzip.finish();
                gzip.flush();
                channel.force(true);
            }
            long bytes = Files.size(temporary);
            moveIntoPlace(temporary);
            moved = true;
            return new SnapshotWritten(
                    file,
                    writtenAt,
                    out.entries,
                    out.byKind,
                    out.expired,
                    bytes,
                    Duration.ofNanos(System.nanoTime() - startedNanos));
        } catch (IOException e) {
            throw new SnapshotException(file, "cannot write: " + e, e);
        } catch (UncheckedIOException e) {
            throw new SnapshotException(file, "cannot write: " + e.getCause(), e.getCause());
        } finally {
            if (!moved) {
                deleteQuietly(temporary);
            }
        }
    }

    private void moveIntoPlace(Path temporary) throws IOException {
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new SnapshotException(
                    file, "the file system cannot replace it in one atomic step; the previous snapshot is intact", e);
        }
    }

    private void writeLine(OutputStream stream, Map<String, Object> fields) throws IOException {
        // sorted, so that a file reads the same each time; readers look fields up by name
        stream.write(lines.writeValueAsBytes(new TreeMap<>(fields)));
        stream.write(NEWLINE);
    }

    private String json(String text) {
        try {
            return lines.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string is always JSON", e);
        }
    }

    private static void deleteQuietly(Path temporary) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
            // the next write makes another; a stray temporary file is never read as the snapshot
        }
    }
}
