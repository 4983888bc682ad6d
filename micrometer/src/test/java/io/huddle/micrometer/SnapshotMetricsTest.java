package io.huddle.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.snapshot.CacheSnapshots;
import io.huddle.core.snapshot.SnapshotSchedule;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The snapshot meters")
class SnapshotMetricsTest {
    static final DataKind<String> WORDS = DataKind.of(
            "words", String.class, CachePolicy.builder(Duration.ofHours(1)).build());

    @TempDir
    Path folder;

    /** A schedule that writes only when told, of a port holding one entry. */
    static SnapshotSchedule schedule(ManualClock clock, Path file) {
        InMemoryCachePort port = new InMemoryCachePort(clock);
        port.put(
                new CacheKey(WORDS, "a"),
                CacheEntry.found(
                        "A",
                        clock.instant(),
                        clock.instant().plus(Duration.ofHours(1)),
                        clock.instant().plus(Duration.ofHours(2)),
                        1),
                Duration.ofHours(2));
        return SnapshotSchedule.onCloseOnly(
                CacheSnapshots.builder(List.of(WORDS)).clock(clock).build(), port, file);
    }

    @Test
    @DisplayName("read NaN before the first snapshot, then its entries and its age on the engine's clock")
    void ageAndEntries() {
        ManualClock clock = new ManualClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SnapshotSchedule schedule = schedule(clock, folder.resolve("cache.snapshot"))) {
            new SnapshotMetrics(schedule, clock, List.of()).bindTo(registry);
            assertThat(registry.get("huddle.snapshot.age").timeGauge().value(TimeUnit.SECONDS))
                    .isNaN();
            assertThat(registry.get("huddle.snapshot.entries").gauge().value()).isNaN();

            schedule.writeNow();
            clock.advance(Duration.ofSeconds(90));

            assertThat(registry.get("huddle.snapshot.age").timeGauge().value(TimeUnit.SECONDS))
                    .isEqualTo(90.0);
            assertThat(registry.get("huddle.snapshot.entries").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("huddle.snapshot.writes").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("huddle.snapshot.failures")
                            .functionCounter()
                            .count())
                    .isZero();
        }
    }
}
