package io.huddle.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Ehcache port's bounds")
class EhcacheDiskBoundTest {
    private static final DataKind<String> PAGES =
            DataKind.of("pages", String.class, CachePolicy.ofTtl(Duration.ofHours(1)));

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock();

    @Test
    @DisplayName("a full disk tier evicts, counting each eviction, and keeps taking writes")
    void fullDiskEvicts() {
        int written = 500; // about 5 MB of values into a 1 MB disk tier
        String page = "x".repeat(10_000);
        try (EhcacheCachePort port = EhcacheCachePort.builder(directory)
                .heapEntries(10)
                .offHeapMegabytes(0)
                .diskMegabytes(1)
                .clock(clock)
                .build()) {
            for (int i = 0; i < written; i++) {
                port.put(new CacheKey(PAGES, "p" + i), entry(page + i), Duration.ofHours(1));
            }

            BackendStatistics statistics = port.statistics();

            assertThat(statistics.entries(PAGES.name())).isBetween(1L, 100L);
            assertThat(statistics.evictions(PAGES.name()))
                    .as("every entry written is either held or counted as evicted")
                    .isEqualTo(written - statistics.entries(PAGES.name()));
            assertThat(port.get(new CacheKey(PAGES, "p" + (written - 1))))
                    .as("the last entry written")
                    .isPresent();
        }
    }

    @Test
    @DisplayName("counts an entry that expired as an eviction, and no longer counts it as held")
    void expiryIsEviction() {
        try (EhcacheCachePort port = EhcacheCachePort.builder(directory)
                .offHeapMegabytes(1)
                .diskMegabytes(4)
                .clock(clock)
                .build()) {
            port.put(new CacheKey(PAGES, "gone"), entry("soon gone"), Duration.ofMinutes(1));
            port.put(new CacheKey(PAGES, "kept"), entry("kept"), Duration.ofHours(1));
            clock.advance(Duration.ofMinutes(2));

            assertThat(port.statistics().entries(PAGES.name())).isEqualTo(1);
            assertThat(port.get(new CacheKey(PAGES, "gone"))).isEmpty();
            assertThat(port.statistics().evictions(PAGES.name())).isEqualTo(1);
        }
    }

    private CacheEntry<String> entry(String value) {
        Instant now = clock.instant();
        return CacheEntry.found(value, now, now.plusSeconds(60), now.plusSeconds(60), 1);
    }
}
