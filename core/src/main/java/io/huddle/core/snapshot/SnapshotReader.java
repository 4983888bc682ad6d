package io.huddle.core.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads and checks a whole snapshot file into memory: the header, every entry line and the trailer,
 * within the limits given. Any fault of the file is a {@link SnapshotException}. Not thread-safe: one
 * reader per read.
 */
final class SnapshotReader {
    /** One entry line: its number in the file (from 1), kind name, id and the envelope's bytes. */
    record Line(long number, String kind, String id, byte[] envelope) {}

    /** A checked file's contents. */
    record Contents(Instant writtenAt, List<Line> lines) {}

    private final Path file;
    private final ObjectMapper mapper;
    private final long maxEntries;
    private final long maxBytes;

    SnapshotReader(Path file, ObjectMapper mapper, long maxEntries, long maxBytes) {
        this.file = file;
        this.mapper = mapper;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /**
     * The file's contents, checked.
     *
     * @throws NoSuchFileException if there is no file
     * @throws SnapshotException if the file is not a whole snapshot this build reads
     */
    Contents read() throws NoSuchFileException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException missing) {
            throw missing;
        } catch (IOException e) {
            throw fault("cannot read: " + e, e);
        }
        if (size == 0) {
            throw fault("empty file, not a snapshot");
        }
        try (InputStream raw = Files.newInputStream(file);
                BufferedReader reader = new BufferedReader(new InputStreamReader(
                        new Bounded(new GZIPInputStream(raw, 1 << 16)),
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            return read(reader);
        } catch (NoSuchFileException missing) {
            throw missing;
        } catch (ZipException e) {
            throw fault("corrupt: not gzip, or damaged compressed data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw fault("truncated: the compressed data ends early", e);
        } catch (CharacterCodingException e) {
            throw fault("corrupt: not UTF-8 text", e);
        } catch (IOException e) {
            throw fault("cannot read: " + e, e);
        }
    }

    private Contents read(BufferedReader reader) throws IOException {
        String first = reader.readLine();
        if (first == null) {
            throw fault("corrupt: no header line");
        }
        Instant writtenAt = header(object(first, 1));
        List<Line> lines = new ArrayList<>();
        long number = 1;
        String text;
        while ((text = reader.readLine()) != null) {
            number++;
            JsonNode line = object(text, number);
            if (line.has("end")) {
                trailer(line, lines.size(), number);
                if (reader.readLine() != null) {
                    throw fault("corrupt: lines after the trailer on line " + number);
                }
                return new Contents(writtenAt, List.copyOf(lines));
            }
            if (lines.size() >= maxEntries) {
                throw fault("more than " + maxEntries + " entries, the most a restore reads (maxEntries)");
            }
            lines.add(entry(line, number));
        }
        throw fault("truncated: no trailer after " + lines.size() + " entries");
    }

    private Instant header(JsonNode header) {
        if (!SnapshotWriter.FORMAT.equals(header.path("format").asText())) {
            throw fault("not a snapshot: the header names no format '" + SnapshotWriter.FORMAT + "'");
        }
        JsonNode version = header.get("version");
        if (version == null || !version.isInt() || version.intValue() != SnapshotWriter.VERSION) {
            throw fault("format version " + version + ", this build reads version " + SnapshotWriter.VERSION);
        }
        try {
            return Instant.parse(header.path("writtenAt").asText());
        } catch (DateTimeParseException e) {
            throw fault(
                    "corrupt: the header's time '" + header.path("writtenAt").asText() + "' is no instant", e);
        }
    }

    private void trailer(JsonNode trailer, long entries, long number) {
        JsonNode count = trailer.get("entries");
        if (count == null || !count.canConvertToLong()) {
            throw fault("corrupt: the trailer on line " + number + " counts no entries");
        }
        if (count.longValue() != entries) {
            throw fault("corrupt: the trailer counts " + count.longValue() + " entries, the file holds " + entries);
        }
    }

    private Line entry(JsonNode line, long number) throws JsonProcessingException {
        JsonNode kind = line.get("kind");
        JsonNode id = line.get("id");
        JsonNode envelope = line.get("entry");
        if (kind == null
                || !kind.isTextual()
                || id == null
                || !id.isTextual()
                || envelope == null
                || !envelope.isObject()) {
            throw fault("corrupt: line " + number + " is no entry (kind, id and entry)");
        }
        return new Line(number, kind.textValue(), id.textValue(), mapper.writeValueAsBytes(envelope));
    }

    private JsonNode object(String text, long number) {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw fault("corrupt: line " + number + " is not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (node == null || !node.isObject()) {
            throw fault("corrupt: line " + number + " is not a JSON object");
        }
        return node;
    }

    private SnapshotException fault(String problem) {
        return new SnapshotException(file, problem);
    }

    private SnapshotException fault(String problem, Throwable cause) {
        return new SnapshotException(file, problem, cause);
    }

    /** Refuses to read past {@code maxBytes} uncompressed bytes: a small file may inflate to many. */
    private final class Bounded extends FilterInputStream {
        private long read;

        Bounded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) {
            read += n;
            if (read > maxBytes) {
                throw fault("more than " + maxBytes + " bytes uncompressed, the most a restore reads (maxBytes)");
            }
        }
    }
}
