package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The command line sets up the simulator")
class UpstreamSimulatorMainTest {
    @Test
    @DisplayName("the options are applied: port, search off, rate limit, seed")
    void options() {
        try (UpstreamSimulator simulator = UpstreamSimulatorMain.options(new String[] {
                    "--port", "0", "--no-search", "--rate-limit", "1", "--seed", "5", "--latency-ms", "0"
                })
                .build()
                .start()) {
            SimClient client = new SimClient(simulator);
            assertThat(client.get("/nfl/v1/players?search=watt").statusCode()).isEqualTo(400);
            assertThat(client.get("/nfl/v1/teams").statusCode()).isEqualTo(429);
            assertThat(simulator.baseUrl().toString()).startsWith("http://127.0.0.1:");
        }
    }

    @Test
    @DisplayName("bad options are refused with a message naming them, --help asks for the usage")
    void badOptions() {
        assertThatThrownBy(() -> UpstreamSimulatorMain.options(new String[] {"--port"}))
                .hasMessageContaining("--port");
        assertThatThrownBy(() -> UpstreamSimulatorMain.options(new String[] {"--seed", "x"}))
                .hasMessageContaining("--seed");
        assertThatThrownBy(() -> UpstreamSimulatorMain.options(new String[] {"--port", "99999999999"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UpstreamSimulatorMain.options(new String[] {"--colour"}))
                .hasMessageContaining("--colour");
        assertThat(UpstreamSimulatorMain.options(new String[] {"--help"})).isNull();
    }
}
