package io.huddle.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Caffeine port's bounds")
class CaffeineSizeBoundTest {
    private static final DataKind<String> WORDS =
            DataKind.of("words", String.class, CachePolicy.ofTtl(Duration.ofHours(1)));

    private final ManualClock clock = new ManualClock();

    @Test
    @DisplayName("keeps at most its maximum size and counts what it evicts per kind")
    void sizeBound() {
        try (CaffeineCachePort port =
                CaffeineCachePort.builder().maximumSize(10).clock(clock).build()) {
            Instant now = clock.instant();
            for (int i = 0; i < 100; i++) {
                port.put(
                        new CacheKey(WORDS, "w" + i),
                        CacheEntry.found("w" + i, now, now.plusSeconds(60), now.plusSeconds(60), 1),
                        Duration.ofHours(1));
            }

            BackendStatistics statistics = port.statistics();

            assertThat(statistics.entries(WORDS.name())).isLessThanOrEqualTo(10);
            assertThat(statistics.evictions(WORDS.name())).isEqualTo(100 - statistics.entries(WORDS.name()));
        }
    }

    @Test
    @DisplayName("counts an expired entry as an eviction")
    void expiryIsEviction() {
        try (CaffeineCachePort port = CaffeineCachePort.builder().clock(clock).build()) {
            Instant now = clock.instant();
            port.put(
                    new CacheKey(WORDS, "w"),
                    CacheEntry.found("w", now, now.plusSeconds(60), now.plusSeconds(60), 1),
                    Duration.ofMinutes(1));
            clock.advance(Duration.ofMinutes(2));

            assertThat(port.statistics().evictions(WORDS.name())).isEqualTo(1);
            assertThat(port.statistics().entries()).isZero();
        }
    }

    @Test
    @DisplayName("rejects a size that is not positive, naming it")
    void badSize() {
        assertThatThrownBy(() -> CaffeineCachePort.builder().maximumSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maximumSize must be positive, was 0");
    }
}
