package io.huddle.core.snapshot;

import static io.huddle.core.snapshot.SnapshotFixtures.PLAYERS;
import static io.huddle.core.snapshot.SnapshotFixtures.TEAMS;
import static io.huddle.core.snapshot.SnapshotFixtures.contents;
import static io.huddle.core.snapshot.SnapshotFixtures.player;
import static io.huddle.core.snapshot.SnapshotFixtures.playerEntry;
import static io.huddle.core.snapshot.SnapshotFixtures.put;
import static io.huddle.core.snapshot.SnapshotFixtures.team;
import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.snapshot.SnapshotFixtures.Player;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A snapshot written and restored")
class SnapshotRoundTripTest {
    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock(Instant.parse("2024-11-20T18:00:00.123456789Z"));
    private final InMemoryCachePort source = new InMemoryCachePort(clock);
    private final InMemoryCachePort target = new InMemoryCachePort(clock);
    private final CacheSnapshots snapshots =
            CacheSnapshots.builder(List.of(PLAYERS, TEAMS)).clock(clock).build();

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    private Path file() {
        return directory.resolve("cache.snapshot");
    }

    @Test
    @DisplayName("brings back every entry with its value, instants to the nanosecond, cost and not-found markers")
    void roundTrip() throws IOException {
        Instant now = clock.instant();
        CacheEntry<Player> mahomes = playerEntry("Patrick Mahomes", now.minusNanos(1));
        CacheEntry<String> notFound = CacheEntry.notFound(now, now.plusSeconds(300), 1);
        CacheEntry<String> chiefs = CacheEntry.found("Chiefs", now, now.plusSeconds(60), now.plusSeconds(3600), 3);
        put(source, player("15"), mahomes, now);
        put(source, player("Bjørn \"Ödegaard\" {a:b}"), mahomes, now);
        put(source, team("Tom Brady"), notFound, now);
        put(source, team("KC"), chiefs, now);

        SnapshotWritten written = snapshots.write(source, file());
        SnapshotRestored restored = snapshots.restore(target, file());

        assertThat(contents(target)).isEqualTo(contents(source)).hasSize(4);
        assertThat(target.get(player("15")).orElseThrow().writtenAt()).isEqualTo(now.minusNanos(1));
        assertThat(written.entries()).isEqualTo(4);
        assertThat(written.entriesByKind()).isEqualTo(Map.of("players", 2L, "teams", 2L));
        assertThat(written.writtenAt()).isEqualTo(now);
        assertThat(written.bytes()).isEqualTo(Files.size(file()));
        assertThat(restored.restored()).isEqualTo(4);
        assertThat(restored.takenAt()).contains(now);
        assertThat(restored.found()).isTrue();
        assertThat(SnapshotFixtures.lines(file()))
                .hasSize(6)
                .first()
                .asString()
                .contains("\"format\":\"huddle-snapshot\"", "\"version\":1");
        assertThat(SnapshotFixtures.lines(file())).last().asString().isEqualTo("{\"end\":true,\"entries\":4}");
    }

    @Test
    @DisplayName("a restored entry is kept for what is left of its life, and then forgotten")
    void keepsWhatIsLeft() {
        Instant now = clock.instant();
        put(source, player("15"), playerEntry("Patrick Mahomes", now), now);
        snapshots.write(source, file());

        clock.advance(Duration.ofMinutes(50));
        snapshots.restore(target, file());
        assertThat(target.get(player("15"))).isPresent();

        clock.advance(Duration.ofMinutes(10));
        assertThat(target.get(player("15"))).as("past its stale-until").isEmpty();
    }

    @Test
    @DisplayName("never replaces an entry written after the snapshot, and counts it")
    void neverOverNewer() {
        Instant then = clock.instant();
        put(source, player("15"), playerEntry("old", then), then);
        put(source, player("17"), playerEntry("Josh Allen", then), then);
        snapshots.write(source, file());
        clock.advance(Duration.ofMinutes(1));
        CacheEntry<Player> newer = playerEntry("new", clock.instant());
        put(target, player("15"), newer, clock.instant());

        SnapshotRestored restored = snapshots.restore(target, file());

        assertThat(target.get(player("15"))).contains(newer);
        assertThat(target.get(player("17"))).isPresent();
        assertThat(restored.olderThanStored()).isEqualTo(1);
        assertThat(restored.restored()).isEqualTo(1);
    }

    @Test
    @DisplayName("entries past their stale-until are left out of the snapshot, and skipped by a later restore")
    void expired() {
        Instant now = clock.instant();
        CacheEntry<String> past = CacheEntry.found("old", now.minusSeconds(120), now.minusSeconds(60), now, 1);
        // kept by the port past its own stale-until, as a port given a longer keep-for keeps it
        source.put(team("past"), past, Duration.ofHours(1));
        CacheEntry<String> shortLived = CacheEntry.found("short", now, now.plusSeconds(30), now.plusSeconds(60), 1);
        put(source, team("short"), shortLived, now);
        put(source, player("15"), playerEntry("Patrick Mahomes", now), now);

        SnapshotWritten written = snapshots.write(source, file());
        clock.advance(Duration.ofSeconds(60));
        SnapshotRestored restored = snapshots.restore(target, file());

        assertThat(written.entries()).isEqualTo(2);
        assertThat(written.expiredSkipped()).isEqualTo(1);
        assertThat(restored.expired()).isEqualTo(1);
        assertThat(contents(target)).containsOnlyKeys(player("15"));
    }

    @Test
    @DisplayName("entries of kinds the application does not name are skipped and counted")
    void unknownKinds() {
        Instant now = clock.instant();
        put(source, player("15"), playerEntry("Patrick Mahomes", now), now);
        put(source, team("KC"), CacheEntry.found("Chiefs", now, now.plusSeconds(60), now.plusSeconds(60), 1), now);
        snapshots.write(source, file());

        SnapshotRestored restored =
                CacheSnapshots.builder(List.of(TEAMS)).clock(clock).build().restore(target, file());

        assertThat(contents(target)).containsOnlyKeys(team("KC"));
        assertThat(restored.unknownKind()).isEqualTo(1);
    }

    @Test
    @DisplayName("a value that no longer maps to its kind's type is skipped and counted as unreadable")
    void unreadableValue() {
        Instant now = clock.instant();
        put(source, player("15"), playerEntry("Patrick Mahomes", now), now);
        snapshots.write(source, file());
        DataKind<Integer> playersAsNumbers =
                DataKind.of("players", Integer.class, CachePolicy.ofTtl(Duration.ofMinutes(1)));

        SnapshotRestored restored = CacheSnapshots.builder(List.of(playersAsNumbers))
                .clock(clock)
                .build()
                .restore(target, file());

        assertThat(restored.unreadable()).isEqualTo(1);
        assertThat(contents(target)).isEmpty();
    }

    @Test
    @DisplayName("a missing file is no snapshot: nothing restored, no error")
    void missingFile() {
        SnapshotRestored restored = snapshots.restore(target, directory.resolve("never-written"));

        assertThat(restored.found()).isFalse();
        assertThat(restored.restored()).isZero();
    }

    @Test
    @DisplayName("an engine on a restored port answers the snapshot's items without a single load")
    void engineAnswersFromTheSnapshot() {
        AtomicInteger loads = new AtomicInteger();
        SharedCache before = SharedCache.builder(source).clock(clock).build();
        for (String id : List.of("15", "17", "1")) {
            before.get(PLAYERS, id, ignored -> {
                loads.incrementAndGet();
                return Loaded.of(new Player("player " + id, 1, 1.5, List.of()));
            });
        }
        snapshots.write(source, file());
        before.close();
        assertThat(loads).hasValue(3);
        loads.set(0);

        snapshots.restore(target, file());
        try (SharedCache after = SharedCache.builder(target).clock(clock).build()) {
            for (String id : List.of("15", "17", "1")) {
                assertThat(after.get(PLAYERS, id, ignored -> {
                            loads.incrementAndGet();
                            return Loaded.of(new Player("loaded again", 0, 0, List.of()));
                        }))
                        .map(Player::name)
                        .contains("player " + id);
            }
        }
        assertThat(loads).hasValue(0);
    }

    @Test
    @DisplayName("a write replaces the previous snapshot and leaves no temporary file behind")
    void replaces() throws IOException {
        Instant now = clock.instant();
        put(source, player("15"), playerEntry("first", now), now);
        snapshots.write(source, file());
        put(source, player("15"), playerEntry("second", now.plusSeconds(1)), now);
        snapshots.write(source, file());

        snapshots.restore(target, file());

        assertThat(target.get(player("15")).orElseThrow().rawValue())
                .isEqualTo(new Player("second", 15, 97.125, List.of("QB", "KC")));
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(file());
        }
    }
}
