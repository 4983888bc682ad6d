package io.huddle.core.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes a port's entries to a snapshot file and restores them from it, for any backend that
 * {@link CachePort.Capability#ENUMERATES_ENTRIES enumerates its entries}: a server restarted, a fresh
 * Redis or a cold local cache answers its first requests from the snapshot instead of the upstream.
 *
 * <pre>{@code
 * CacheSnapshots snapshots = CacheSnapshots.builder(List.of(PLAYERS, STATS)).clock(clock).build();
 * SnapshotRestored restored = snapshots.restore(port, Path.of("/var/lib/huddle/cache.snapshot"));
 * // ... later, and on shutdown:
 * SnapshotWritten written = snapshots.write(port, Path.of("/var/lib/huddle/cache.snapshot"));
 * }</pre>
 *
 * <p><b>The file</b> is gzip-compressed UTF-8 JSON lines: a header line {@code
 * {"format":"huddle-snapshot","version":1,"writtenAt":"2024-11-20T18:00:00Z"}}, one line per entry
 * {@code {"kind":"players","id":"15","entry":{...}}} where {@code entry} is the {@link EntryCodec}'s
 * envelope (the value, written-at, fresh-until, stale-until, cost, schema version), and a trailer line
 * {@code {"end":true,"entries":2}}, so that a file cut short is detected.
 *
 * <p><b>Writing</b> visits the entries of the kinds given to the builder (see {@link
 * CachePort#forEachEntry(Collection, java.util.function.BiConsumer)}), leaves out those past their
 * stale-until, writes to a temporary file in the same directory, forces it to disk and moves it over
 * the snapshot in one atomic step: a crash or a failure mid-write leaves the previous snapshot as it
 * was, never half a file.
 *
 * <p><b>Restoring</b> reads and checks the whole file into memory first (at most {@link
 * Builder#maxEntries} entries and {@link Builder#maxBytes} uncompressed bytes); a file that is not
 * gzip, holds a line that is not JSON, lacks its trailer, counts other than it holds, or is of another
 * format version throws {@link SnapshotException} and puts nothing. Then each entry is put with {@link
 * CachePort#putIfNewer} (never over an entry written at or after it) for what is left of its life
 * ({@link CacheEntry#keepFor}); entries already past their stale-until, of kinds not given to the
 * builder, or that the codec cannot decode are skipped and counted. A missing file is no snapshot,
 * not an error: a server's first start restores nothing.
 *
 * <p>Thread-safe: one instance may write and restore from many threads, though two writes of the
 * same file at once are the caller's to avoid ({@link SnapshotSchedule} serializes its own).
 */
public final class CacheSnapshots {
    /** The most entries a restore reads, unless set. */
    public static final long DEFAULT_MAX_ENTRIES = 1_000_000;
    /** The most uncompressed bytes a restore reads, unless set: 512 MiB. */
    public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;

    private final Map<String, DataKind<?>> kinds;
    private final InstantSource clock;
    /** The mapper of the lines around the envelopes, which hold nothing but text and numbers. */
    private final ObjectMapper lines;
    /** The snapshots' own codec: its unreadable counts are the restores' own. */
    private final EntryCodec codec;

    private final long maxEntries;
    private final long maxBytes;

    private CacheSnapshots(Builder builder) {
        this.kinds = Map.copyOf(builder.kinds);
        this.clock = builder.clock;
        // floats as BigDecimal: an envelope read and written again keeps each number's exact text
        this.lines = JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        this.codec = builder.mapper == null ? EntryCodec.json() : EntryCodec.using(builder.mapper);
        this.maxEntries = builder.maxEntries;
        this.maxBytes = builder.maxBytes;
    }

    /**
     * A builder for snapshots of the given kinds: the kinds written, and the kind-name lookup of a
     * restore (an entry of any other kind is skipped).
     *
     * @throws IllegalArgumentException if the collection is empty
     */
    public static Builder builder(Collection<? extends DataKind<?>> kinds) {
        return new Builder(kinds);
    }

    /**
     * Writes every entry of the snapshots' kinds that the port holds and that is not past its
     * stale-until to {@code file}, replacing it atomically.
     *
     * @throws SnapshotException if the file cannot be written (the previous one, if any, is intact)
     * @throws CacheBackendException if the port fails while its entries are read (the previous file is
     *     intact)
     * @throws UnsupportedOperationException if the port does not enumerate its entries
     */
    public SnapshotWritten write(CachePort port, Path file) {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(file, "file");
        if (!port.capabilities().contains(CachePort.Capability.ENUMERATES_ENTRIES)) {
            throw new UnsupportedOperationException(port.name() + " cannot enumerate its entries: no snapshot");
        }
        long started = System.nanoTime();
        Instant now = clock.instant();
        SnapshotWriter writer = new SnapshotWriter(file, lines, codec, now);
        return writer.write(
                out -> port.forEachEntry(kinds.values(), (key, entry) -> {
                    if (now.isBefore(entry.staleUntil())) {
                        out.entry(key, entry);
                    } else {
                        out.expired();
                    }
                }),
                started);
    }

    /**
     * Restores the snapshot in {@code file} into the port, never over a newer entry; a missing file
     * restores nothing ({@link SnapshotRestored#found()} is false).
     *
     * @throws SnapshotException if the file is unreadable, corrupt, truncated, of another format
     *     version or too large; nothing was put
     * @throws CacheBackendException if the port fails while the checked entries are put; those put
     *     before stay, each a whole entry
     */
    public SnapshotRestored restore(CachePort port, Path file) {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(file, "file");
        long started = System.nanoTime();
        SnapshotReader.Contents contents;
        try {
            contents = new SnapshotReader(file, lines, maxEntries, maxBytes).read();
        } catch (NoSuchFileException missing) {
            return SnapshotRestored.noSnapshot(file);
        }
        long restored = 0;
        long older = 0;
        long expired = 0;
        long unknown = 0;
        long unreadable = 0;
        List<Decoded> checked = new ArrayList<>(contents.lines().size());
        for (SnapshotReader.Line line : contents.lines()) {
            DataKind<?> kind = kinds.get(line.kind());
            if (kind == null) {
                unknown++;
                continue;
            }
            CacheKey key = keyOf(file, kind, line);
            Optional<CacheEntry<?>> entry = codec.decode(key, line.envelope());
            if (entry.isEmpty()) {
                unreadable++;
            } else {
                checked.add(new Decoded(key, entry.get()));
            }
        }
        Instant now = clock.instant();
        for (Decoded decoded : checked) {
            Duration keepFor = decoded.entry.keepFor(now);
            if (keepFor.isZero()) {
                expired++;
            } else if (port.putIfNewer(decoded.key, decoded.entry, keepFor)) {
                restored++;
            } else {
                older++;
            }
        }
        return new SnapshotRestored(
                file,
                Optional.of(contents.writtenAt()),
                restored,
                older,
                expired,
                unknown,
                unreadable,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** The kinds written and restored, by name. */
    public Collection<DataKind<?>> kinds() {
        return List.copyOf(kinds.values());
    }

    private record Decoded(CacheKey key, CacheEntry<?> entry) {}

    private static CacheKey keyOf(Path file, DataKind<?> kind, SnapshotReader.Line line) {
        try {
            return new CacheKey(kind, line.id());
        } catch (IllegalArgumentException e) {
            throw new SnapshotException(
                    file, "corrupt: line " + line.number() + " holds no valid id: " + e.getMessage());
        }
    }

    /** Builds {@link CacheSnapshots}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, DataKind<?>> kinds = new LinkedHashMap<>();
        private InstantSource clock = InstantSource.system();
        private ObjectMapper mapper;
        private long maxEntries = DEFAULT_MAX_ENTRIES;
        private long maxBytes = DEFAULT_MAX_BYTES;

        private Builder(Collection<? extends DataKind<?>> kinds) {
            Objects.requireNonNull(kinds, "kinds");
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException("kinds must name at least one kind");
            }
            kinds.forEach(
                    kind -> this.kinds.put(Objects.requireNonNull(kind, "kind").name(), kind));
        }

        /**
         * The clock of the snapshot's time, of which entries have expired, and of how long a restored
         * entry is kept; default the system clock. Pass the engine's clock.
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The mapper of the values, as given to the backends' {@link EntryCodec#using}; default the
         * mapper of {@link EntryCodec#json()}.
         */
        public Builder mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * The most entries a restore reads before it refuses the file; default {@link
         * CacheSnapshots#DEFAULT_MAX_ENTRIES}.
         */
        public Builder maxEntries(long maxEntries) {
            this.maxEntries = Arguments.positive("maxEntries", maxEntries);
            return this;
        }

        /**
         * The most uncompressed bytes a restore reads before it refuses the file (the entries are held in
         * memory until the whole file is checked); default {@link CacheSnapshots#DEFAULT_MAX_BYTES}.
         */
        public Builder maxBytes(long maxBytes) {
            this.maxBytes = Arguments.positive("maxBytes", maxBytes);
            return this;
        }

        /** The snapshots. */
        public CacheSnapshots build() {
            return new CacheSnapshots(this);
        }
    }
}
