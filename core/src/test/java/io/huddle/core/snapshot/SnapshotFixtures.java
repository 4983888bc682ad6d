package io.huddle.core.snapshot;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Kinds, entries and file helpers shared by the snapshot tests. */
final class SnapshotFixtures {
    record Player(String name, int number, double rating, List<String> tags) {}

    static final DataKind<Player> PLAYERS =
            DataKind.of("players", Player.class, CachePolicy.ofTtl(Duration.ofMinutes(10)));
    static final DataKind<String> TEAMS = DataKind.of("teams", String.class, CachePolicy.ofTtl(Duration.ofHours(1)));

    private SnapshotFixtures() {}

    static CacheKey player(String id) {
        return new CacheKey(PLAYERS, id);
    }

    static CacheKey team(String id) {
        return new CacheKey(TEAMS, id);
    }

    /** A player entry written at {@code at} (to the nanosecond), fresh 10 minutes, stale 1 hour. */
    static CacheEntry<Player> playerEntry(String name, Instant at) {
        return CacheEntry.found(
                new Player(name, 15, 97.125, List.of("QB", "KC")),
                at,
                at.plus(Duration.ofMinutes(10)),
                at.plus(Duration.ofHours(1)),
                2);
    }

    /** Puts the entry for its own keep-for, as the engine does. */
    static void put(CachePort port, CacheKey key, CacheEntry<?> entry, Instant now) {
        port.put(key, entry, entry.keepFor(now));
    }

    /** Every entry the port holds. */
    static Map<CacheKey, CacheEntry<?>> contents(CachePort port) {
        Map<CacheKey, CacheEntry<?>> all = new HashMap<>();
        port.forEachEntry(all::put);
        return all;
    }

    /** The snapshot's lines, uncompressed. */
    static List<String> lines(Path file) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    /** Writes the lines, gzip-compressed, as a snapshot would be. */
    static void writeLines(Path file, List<String> lines) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.write(file, bytes.toByteArray());
    }
}
