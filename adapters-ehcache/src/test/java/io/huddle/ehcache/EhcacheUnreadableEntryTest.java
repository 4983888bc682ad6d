package io.huddle.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Ehcache port's unreadable entries")
class EhcacheUnreadableEntryTest {
    private static final DataKind<String> TEAMS =
            DataKind.of("teams", String.class, CachePolicy.ofTtl(Duration.ofHours(1)));
    private static final CacheKey KC = new CacheKey(TEAMS, "KC");

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock();
    private EhcacheCachePort port;

    @BeforeEach
    void open() {
        port = EhcacheCachePort.builder(directory)
                .offHeapMegabytes(1)
                .diskMegabytes(4)
                .clock(clock)
                .build();
    }

    @AfterEach
    void close() {
        port.close();
    }

    @Test
    @DisplayName("corrupt bytes read as absent and are counted as unreadable for their kind")
    void corrupt() {
        port.putEnvelope(KC, "{not json".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1));

        assertThat(port.get(KC)).isEmpty();
        assertThat(port.statistics().unreadable(TEAMS.name())).isEqualTo(1);
    }

    @Test
    @DisplayName("an entry of another schema version reads as absent and is counted as unreadable")
    void otherSchema() {
        Instant now = clock.instant();
        port.put(
                KC,
                CacheEntry.restore("Kansas City Chiefs", now, now.plusSeconds(60), now.plusSeconds(60), 1, 0),
                Duration.ofHours(1));

        assertThat(port.getAll(List.of(KC))).isEmpty();
        assertThat(port.statistics().unreadable(TEAMS.name())).isEqualTo(1);
    }

    @Test
    @DisplayName("the engine replaces an unreadable entry with one load, and the next reads are hits")
    void engineRefills() {
        port.putEnvelope(KC, new byte[] {0, 1, 2}, Duration.ofHours(1));
        AtomicInteger loads = new AtomicInteger();
        Loader<String> chiefs = id -> {
            loads.incrementAndGet();
            return Loaded.of("Kansas City Chiefs");
        };
        try (SharedCache cache = SharedCache.builder(port).clock(clock).build()) {
            assertThat(cache.get(TEAMS, "KC", chiefs)).contains("Kansas City Chiefs");
            long unreadableBeforeRefill = cache.stats(TEAMS).unreadable();
            assertThat(cache.get(TEAMS, "KC", chiefs)).contains("Kansas City Chiefs");
            assertThat(cache.get(TEAMS, "KC", chiefs)).contains("Kansas City Chiefs");

            assertThat(loads).hasValue(1);
            assertThat(unreadableBeforeRefill).isPositive();
            assertThat(cache.stats(TEAMS).unreadable())
                    .as("no unreadable read once refilled")
                    .isEqualTo(unreadableBeforeRefill);
            assertThat(cache.stats(TEAMS).hits()).isEqualTo(2);
            assertThat(port.get(KC))
                    .hasValueSatisfying(
                            entry -> assertThat(entry.schemaVersion()).isEqualTo(CacheEntry.SCHEMA_VERSION));
        }
    }
}
