package io.huddle.core.ahead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TopKeys finds the most requested keys of a recent window in bounded memory")
class TopKeysTest {
    private final ManualClock clock = new ManualClock();
    private final TopKeys<String> sketch = new TopKeys<>(100, Duration.ofMinutes(10), clock);

    @Test
    @DisplayName("heavy hitters among a million distinct keys are found, with at most twice the capacity held")
    void heavyHittersInBoundedMemory() {
        for (int i = 0; i < 1_000_000; i++) {
            sketch.add("rare-" + i);
            if (i % 20 == 0) {
                sketch.add("mahomes");
            }
            if (i % 40 == 0) {
                sketch.add("allen");
            }
            assertThat(sketch.size()).isLessThanOrEqualTo(200);
        }
        assertThat(sketch.top(2)).containsExactly("mahomes", "allen");
    }

    @Test
    @DisplayName("keys of the previous window still count, and a window older than that is forgotten")
    void oldWindowsForgotten() {
        sketch.add("old");
        sketch.add("old");
        clock.advance(Duration.ofMinutes(10));
        sketch.add("new");
        assertThat(sketch.top(5)).containsExactly("old", "new");
        clock.advance(Duration.ofMinutes(10));
        assertThat(sketch.top(5)).containsExactly("new");
        clock.advance(Duration.ofMinutes(30));
        assertThat(sketch.top(5)).isEmpty();
        assertThat(sketch.size()).isZero();
    }

    @Test
    @DisplayName("counts gives the requests of the keys asked about over both windows, leaving out keys never asked")
    void countsOfKeys() {
        sketch.add("kelce");
        clock.advance(Duration.ofMinutes(10));
        sketch.add("kelce");
        sketch.add("rice");
        assertThat(sketch.counts(List.of("kelce", "rice", "worthy")))
                .containsOnly(Map.entry("kelce", 2L), Map.entry("rice", 1L));
        clock.advance(Duration.ofMinutes(20));
        assertThat(sketch.counts(List.of("kelce", "rice"))).isEmpty();
    }

    @Test
    @DisplayName("a capacity below one is refused, naming the field")
    void badCapacity() {
        assertThatThrownBy(() -> new TopKeys<String>(0, Duration.ofMinutes(1), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
    }
}
