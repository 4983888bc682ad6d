package io.huddle.core.snapshot;

import static io.huddle.core.snapshot.SnapshotFixtures.PLAYERS;
import static io.huddle.core.snapshot.SnapshotFixtures.TEAMS;
import static io.huddle.core.snapshot.SnapshotFixtures.contents;
import static io.huddle.core.snapshot.SnapshotFixtures.lines;
import static io.huddle.core.snapshot.SnapshotFixtures.player;
import static io.huddle.core.snapshot.SnapshotFixtures.playerEntry;
import static io.huddle.core.snapshot.SnapshotFixtures.put;
import static io.huddle.core.snapshot.SnapshotFixtures.team;
import static io.huddle.core.snapshot.SnapshotFixtures.writeLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheKey;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A snapshot file that is not whole")
class SnapshotFaultsTest {
    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock();
    private final InMemoryCachePort source = new InMemoryCachePort(clock);
    private final InMemoryCachePort target = new InMemoryCachePort(clock);
    private final CacheSnapshots snapshots =
            CacheSnapshots.builder(List.of(PLAYERS, TEAMS)).clock(clock).build();
    private final CacheKey alreadyThere = team("already there");
    private CacheEntry<String> before;

    @BeforeEach
    void fill() {
        Instant now = clock.instant();
        for (int i = 0; i < 5; i++) {
            put(source, player("p" + i), playerEntry("player " + i, now), now);
        }
        before = CacheEntry.found("kept", now.minusSeconds(600), now.plusSeconds(60), now.plusSeconds(600), 1);
        put(target, alreadyThere, before, now);
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    private Path file() {
        return directory.resolve("cache.snapshot");
    }

    /** Restoring the file throws a snapshot error naming it and the problem, and puts nothing. */
    private void refused(String problem) {
        assertThatThrownBy(() -> snapshots.restore(target, file()))
                .isInstanceOfSatisfying(SnapshotException.class, e -> {
                    assertThat(e.file()).isEqualTo(file());
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.getMessage()).startsWith("snapshot " + file() + ": ");
                });
        assertThat(contents(target)).as("nothing loaded").isEqualTo(Map.of(alreadyThere, before));
    }

    private List<String> goodLines() throws IOException {
        snapshots.write(source, file());
        return new ArrayList<>(lines(file()));
    }

    @Nested
    @DisplayName("is refused whole, with a clear error")
    class Refused {
        @Test
        @DisplayName("an empty file")
        void empty() throws IOException {
            Files.write(file(), new byte[0]);
            refused("empty file");
        }

        @Test
        @DisplayName("bytes that are not gzip")
        void notGzip() throws IOException {
            Files.writeString(file(), "{\"format\":\"huddle-snapshot\"}\n");
            refused("not gzip");
        }

        @Test
        @DisplayName("a file cut short inside its compressed data")
        void truncatedBytes() throws IOException {
            snapshots.write(source, file());
            byte[] whole = Files.readAllBytes(file());
            Files.write(file(), Arrays.copyOf(whole, whole.length * 2 / 3));
            refused("truncated");
        }

        @Test
        @DisplayName("a file whose last lines, the trailer among them, are missing")
        void noTrailer() throws IOException {
            List<String> lines = goodLines();
            writeLines(file(), lines.subList(0, lines.size() - 2));
            refused("truncated: no trailer after 4 entries");
        }

        @Test
        @DisplayName("a trailer that counts other entries than the file holds")
        void countMismatch() throws IOException {
            List<String> lines = goodLines();
            lines.remove(2);
            writeLines(file(), lines);
            refused("the trailer counts 5 entries, the file holds 4");
        }

        @Test
        @DisplayName("a line that is not JSON")
        void badJson() throws IOException {
            List<String> lines = goodLines();
            lines.set(3, lines.get(3).substring(0, 20));
            writeLines(file(), lines);
            refused("line 4 is not JSON");
        }

        @Test
        @DisplayName("a line that is JSON but no entry")
        void notAnEntry() throws IOException {
            List<String> lines = goodLines();
            lines.set(2, "{\"kind\":\"players\"}");
            writeLines(file(), lines);
            refused("line 3 is no entry");
        }

        @Test
        @DisplayName("an entry with an id no key accepts")
        void badId() throws IOException {
            List<String> lines = goodLines();
            lines.set(2, lines.get(2).replaceFirst("\"id\":\"p[0-9]\"", "\"id\":\" \""));
            writeLines(file(), lines);
            refused("line 3 holds no valid id");
        }

        @Test
        @DisplayName("lines after the trailer")
        void afterTrailer() throws IOException {
            List<String> lines = goodLines();
            lines.add(lines.get(1));
            writeLines(file(), lines);
            refused("lines after the trailer");
        }

        @Test
        @DisplayName("a format version this build does not read")
        void wrongVersion() throws IOException {
            List<String> lines = goodLines();
            lines.set(0, lines.get(0).replace("\"version\":1", "\"version\":2"));
            writeLines(file(), lines);
            refused("format version 2, this build reads version 1");
        }

        @Test
        @DisplayName("a gzip file of other JSON lines")
        void notASnapshot() throws IOException {
            writeLines(file(), List.of("{\"hello\":\"world\"}", "{\"end\":true,\"entries\":0}"));
            refused("not a snapshot");
        }

        @Test
        @DisplayName("a gzip file with no line at all")
        void noLines() throws IOException {
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file()))) {
                out.flush();
            }
            refused("no header line");
        }

        @Test
        @DisplayName("more entries than the restore may hold")
        void tooManyEntries() throws IOException {
            snapshots.write(source, file());
            assertThatThrownBy(() -> CacheSnapshots.builder(List.of(PLAYERS))
                            .maxEntries(4)
                            .build()
                            .restore(target, file()))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("more than 4 entries");
            assertThat(contents(target)).containsOnlyKeys(alreadyThere);
        }

        @Test
        @DisplayName("more uncompressed bytes than the restore may read")
        void tooManyBytes() throws IOException {
            snapshots.write(source, file());
            assertThatThrownBy(() -> CacheSnapshots.builder(List.of(PLAYERS))
                            .maxBytes(300)
                            .build()
                            .restore(target, file()))
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("more than 300 bytes uncompressed");
            assertThat(contents(target)).containsOnlyKeys(alreadyThere);
        }
    }

    @Nested
    @DisplayName("is never left by a failed write")
    class AtomicReplace {
        @Test
        @DisplayName(
                "a port failing in the middle of its entries leaves the previous snapshot intact and no temporary file")
        void portFailsMidway() throws IOException {
            snapshots.write(source, file());
            byte[] previous = Files.readAllBytes(file());
            FailingPort failing = new FailingPort(clock, 2, 1);
            source.forEachEntry((key, entry) -> put(failing, key, entry, clock.instant()));

            assertThatThrownBy(() -> snapshots.write(failing, file())).isInstanceOf(CacheBackendException.class);

            assertThat(Files.readAllBytes(file())).isEqualTo(previous);
            try (var files = Files.list(directory)) {
                assertThat(files).containsExactly(file());
            }
            snapshots.restore(target, file());
            assertThat(contents(target)).hasSize(6);
        }

        @Test
        @DisplayName("a file that cannot be replaced is a snapshot error, and the temporary file is gone")
        void cannotReplace() throws IOException {
            Path occupied = directory.resolve("occupied");
            Files.createDirectories(occupied.resolve("not empty"));

            assertThatThrownBy(() -> snapshots.write(source, occupied))
                    .isInstanceOfSatisfying(
                            SnapshotException.class, e -> assertThat(e.file()).isEqualTo(occupied.toAbsolutePath()));

            try (var files = Files.list(directory)) {
                assertThat(files).containsExactly(occupied);
            }
        }
    }
}
