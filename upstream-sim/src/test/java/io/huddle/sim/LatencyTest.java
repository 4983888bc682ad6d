package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Latency delays each answer and can change while running")
class LatencyTest {
    private static Duration timed(SimClient client) {
        long start = System.nanoTime();
        assertThat(client.get("/nfl/v1/teams").statusCode()).isEqualTo(200);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    @DisplayName("an answer takes at least the configured latency, and the switch changes it")
    void delays() {
        try (UpstreamSimulator simulator = UpstreamSimulator.builder()
                .latency(Duration.ofMillis(300))
                .build()
                .start()) {
            SimClient client = new SimClient(simulator);
            assertThat(timed(client)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

            simulator.setLatency(Duration.ofMillis(600));
            assertThat(timed(client)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
    }

    @Test
    @DisplayName("a negative latency is refused")
    void negative() {
        assertThatThrownBy(() -> UpstreamSimulator.builder().latency(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latency");
    }
}
