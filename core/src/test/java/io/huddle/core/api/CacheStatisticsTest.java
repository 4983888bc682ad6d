package io.huddle.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CacheStatistics is a value: built by name, added, subtracted, compared")
class CacheStatisticsTest {
    private final CacheStatistics a = CacheStatistics.builder()
            .requests(10)
            .hits(6)
            .negativeHits(1)
            .staleServed(1)
            .misses(2)
            .loads(2)
            .totalLoadTimeNanos(4_000)
            .entries(7)
            .evictions(3)
            .build();
    private final CacheStatistics b = CacheStatistics.builder()
            .requests(4)
            .hits(4)
            .loads(1)
            .totalLoadTimeNanos(1_000)
            .entries(2)
            .evictions(1)
            .build();

    @Test
    @DisplayName("counters not set are zero, and the empty builder builds EMPTY")
    void unsetCountersAreZero() {
        assertThat(a.coalescedWaits()).isZero();
        assertThat(a.unreadable()).isZero();
        assertThat(CacheStatistics.builder().build()).isEqualTo(CacheStatistics.EMPTY);
        assertThat(CacheStatistics.EMPTY.requests()).isZero();
    }

    @Test
    @DisplayName("plus adds every counter; minus subtracts them, floored at zero, keeping this entries level")
    void plusAndMinus() {
        CacheStatistics sum = a.plus(b);
        assertThat(sum.requests()).isEqualTo(14);
        assertThat(sum.hits()).isEqualTo(10);
        assertThat(sum.entries()).isEqualTo(9);
        assertThat(sum.totalLoadTimeNanos()).isEqualTo(5_000);

        CacheStatistics difference = b.minus(a);
        assertThat(difference.requests()).isZero();
        assertThat(difference.entries()).isEqualTo(2);
        assertThat(sum.minus(b)).isEqualTo(a.toBuilder().entries(9).build());
    }

    @Test
    @DisplayName("rates and the load penalty follow from the counters")
    void derived() {
        assertThat(a.hitRate()).isEqualTo(0.8);
        assertThat(a.upstreamAvoidanceRate()).isEqualTo(0.8);
        assertThat(a.averageLoadPenalty()).isEqualTo(Duration.ofNanos(2_000));
        assertThat(CacheStatistics.EMPTY.hitRate()).isEqualTo(1.0);
        assertThat(CacheStatistics.EMPTY.averageLoadPenalty()).isZero();
    }

    @Test
    @DisplayName("equal counters are equal snapshots, with equal hash codes and a readable text")
    void valueSemantics() {
        CacheStatistics same = a.toBuilder().build();
        assertThat(same).isEqualTo(a).hasSameHashCodeAs(a).isNotEqualTo(b);
        assertThat(a.toBuilder().hits(5).build()).isNotEqualTo(a);
        assertThat(a.toString()).contains("requests=10", "negativeHits=1", "totalLoadTimeNanos=4000");
    }

    @Test
    @DisplayName("a negative counter is refused")
    void negativeRefused() {
        assertThatThrownBy(() -> CacheStatistics.builder().hits(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hits");
    }
}
