package io.huddle.caffeine;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.snapshot.CacheSnapshots;
import io.huddle.core.snapshot.SnapshotRestored;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A Caffeine port's snapshot")
class CaffeineSnapshotTest {
    record Player(String name, int number, List<String> tags) {}

    private static final DataKind<Player> PLAYERS =
            DataKind.of("players", Player.class, CachePolicy.ofTtl(Duration.ofMinutes(10)));

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock(Instant.parse("2024-11-20T18:00:00.000000001Z"));

    @Test
    @DisplayName(
            "restores into a cold Caffeine server every entry with its instants exactly, each kept for what it has left")
    void roundTrip() {
        CaffeineCachePort before = CaffeineCachePort.builder().clock(clock).build();
        CaffeineCachePort cold = CaffeineCachePort.builder().clock(clock).build();
        Instant now = clock.instant();
        Map<CacheKey, CacheEntry<?>> written = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            CacheEntry<Player> entry = CacheEntry.found(
                    new Player("player " + i, i, List.of("QB")),
                    now.minusSeconds(i),
                    now.plusSeconds(60 - i),
                    now.plusSeconds(600 + i),
                    1);
            before.put(new CacheKey(PLAYERS, "p" + i), entry, entry.keepFor(now));
            written.put(new CacheKey(PLAYERS, "p" + i), entry);
        }
        CacheSnapshots snapshots =
                CacheSnapshots.builder(List.of(PLAYERS)).clock(clock).build();
        Path file = directory.resolve("caffeine.snapshot");

        snapshots.write(before, file);
        SnapshotRestored restored = snapshots.restore(cold, file);

        Map<CacheKey, CacheEntry<?>> read = new HashMap<>();
        cold.forEachEntry(read::put);
        assertThat(read).isEqualTo(written);
        assertThat(restored.restored()).isEqualTo(100);

        clock.advance(Duration.ofSeconds(650));
        assertThat(cold.get(new CacheKey(PLAYERS, "p10")))
                .as("stale until 610 s")
                .isEmpty();
        assertThat(cold.get(new CacheKey(PLAYERS, "p90")))
                .as("stale until 690 s")
                .isPresent();
        before.close();
        cold.close();
    }
}
