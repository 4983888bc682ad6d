package io.huddle.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The upstream requests of the last minute, from samples of the budget's count")
class UpstreamRateTest {
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    @DisplayName("no samples count nothing; a server younger than a minute counts since its first sample")
    void young() {
        UpstreamRate rate = new UpstreamRate();
        assertThat(rate.lastMinute()).isZero();

        rate.sample(T0, 5);
        rate.sample(T0.plusSeconds(10), 12);
        rate.sample(T0.plusSeconds(30), 20);

        assertThat(rate.lastMinute()).isEqualTo(15);
    }

    @Test
    @DisplayName("after a minute only the requests within the last minute count")
    void slidingWindow() {
        UpstreamRate rate = new UpstreamRate();
        for (int second = 0; second <= 120; second++) {
            rate.sample(T0.plusSeconds(second), 2L * second); // two requests a second
        }
        assertThat(rate.lastMinute()).isEqualTo(120);

        rate.sample(T0.plusSeconds(150), 240); // thirty quiet seconds
        assertThat(rate.lastMinute()).isEqualTo(240 - 2 * 90);

        rate.sample(T0.plusSeconds(400), 240); // a quiet minute
        assertThat(rate.lastMinute()).isZero();
    }

    @Test
    @DisplayName("a sample older than the newest is ignored")
    void outOfOrder() {
        UpstreamRate rate = new UpstreamRate();
        rate.sample(T0, 0);
        rate.sample(T0.plusSeconds(20), 10);
        rate.sample(T0.plusSeconds(5), 1000);

        assertThat(rate.lastMinute()).isEqualTo(10);
    }
}
