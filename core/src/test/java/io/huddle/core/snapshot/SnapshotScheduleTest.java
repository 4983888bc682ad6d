package io.huddle.core.snapshot;

import static io.huddle.core.snapshot.SnapshotFixtures.PLAYERS;
import static io.huddle.core.snapshot.SnapshotFixtures.contents;
import static io.huddle.core.snapshot.SnapshotFixtures.player;
import static io.huddle.core.snapshot.SnapshotFixtures.playerEntry;
import static io.huddle.core.snapshot.SnapshotFixtures.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.testkit.Eventually;
import io.huddle.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The snapshot schedule")
class SnapshotScheduleTest {
    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock();
    private final CacheSnapshots snapshots =
            CacheSnapshots.builder(List.of(PLAYERS)).clock(clock).build();

    private Path file() {
        return directory.resolve("cache.snapshot");
    }

    @Test
    @DisplayName(
            "a write now is the last snapshot, with its instant by the clock and its counts, and ages with the clock")
    void lastWritten() {
        InMemoryCachePort port = new InMemoryCachePort(clock);
        put(port, player("15"), playerEntry("Patrick Mahomes", clock.instant()), clock.instant());
        try (SnapshotSchedule schedule = SnapshotSchedule.onCloseOnly(snapshots, port, file())) {
            assertThat(schedule.lastWritten()).isEmpty();
            Instant at = clock.instant();

            schedule.writeNow();
            clock.advance(Duration.ofMinutes(3));

            SnapshotWritten last = schedule.lastWritten().orElseThrow();
            assertThat(last.writtenAt()).isEqualTo(at);
            assertThat(last.entries()).isEqualTo(1);
            assertThat(last.ageAt(clock.instant())).isEqualTo(Duration.ofMinutes(3));
            assertThat(schedule.writes()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("close writes one last snapshot of what the port holds then, once however often it is called")
    void closeWrites() {
        InMemoryCachePort port = new InMemoryCachePort(clock);
        SnapshotSchedule schedule = SnapshotSchedule.start(snapshots, port, file(), Duration.ofHours(1));
        put(port, player("15"), playerEntry("Patrick Mahomes", clock.instant()), clock.instant());

        schedule.close();
        schedule.close();

        assertThat(schedule.writes()).isEqualTo(1);
        InMemoryCachePort restarted = new InMemoryCachePort(clock);
        snapshots.restore(restarted, file());
        assertThat(contents(restarted)).containsOnlyKeys(player("15"));
    }

    @Test
    @DisplayName("a failed write is counted and kept, the previous snapshot stays, and the next write succeeds")
    void failedWrite() throws Exception {
        FailingPort port = new FailingPort(clock, 0, 1);
        put(port, player("15"), playerEntry("Patrick Mahomes", clock.instant()), clock.instant());
        try (SnapshotSchedule schedule = SnapshotSchedule.onCloseOnly(snapshots, port, file())) {
            assertThatThrownBy(schedule::writeNow).isInstanceOf(CacheBackendException.class);
            assertThat(Files.exists(file())).isFalse();

            schedule.writeNow();

            assertThat(schedule.failures()).isEqualTo(1);
            assertThat(schedule.lastFailure()).containsInstanceOf(CacheBackendException.class);
            assertThat(schedule.lastWritten().orElseThrow().entries()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("failed periodic writes do not stop the schedule: it writes again each period")
    void keepsGoing() throws Exception {
        FailingPort port = new FailingPort(clock, 0, 3);
        put(port, player("15"), playerEntry("Patrick Mahomes", clock.instant()), clock.instant());
        try (SnapshotSchedule schedule = SnapshotSchedule.start(snapshots, port, file(), Duration.ofMillis(5))) {
            // no timing threshold: waits, up to a generous bound, for the first write after three failures
            Eventually.await(
                    "the first write after three failures", Duration.ofSeconds(30), () -> schedule.writes() > 0);

            assertThat(schedule.failures()).isEqualTo(3);
            assertThat(schedule.writes()).isPositive();
            assertThat(port.visits.get()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    @DisplayName("a period that is not positive is refused, naming it")
    void badPeriod() {
        InMemoryCachePort port = new InMemoryCachePort(clock);
        assertThatThrownBy(() -> SnapshotSchedule.start(snapshots, port, file(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every");
    }
}
