package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("With an API key configured, requests must carry it in the Authorization header")
class AuthTest {
    private final UpstreamSimulator simulator =
            UpstreamSimulator.builder().apiKey("secret-key").build().start();
    private final SimClient client = new SimClient(simulator);

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    @DisplayName("the right key is answered, a wrong or missing one is 401 with a JSON error")
    void key() {
        assertThat(client.get("/nfl/v1/teams", "secret-key").statusCode()).isEqualTo(200);
        assertThat(client.get("/nfl/v1/teams", "wrong-key").statusCode()).isEqualTo(401);
        assertThat(SimClient.error(client.get("/nfl/v1/teams", "wrong-key"))).doesNotContain("secret-key");
        assertThat(client.get("/nfl/v1/teams").statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("without a configured key any key or none is accepted")
    void anyKey() {
        try (UpstreamSimulator open = UpstreamSimulator.builder().build().start()) {
            SimClient openClient = new SimClient(open);
            assertThat(openClient.get("/nfl/v1/teams", "whatever").statusCode()).isEqualTo(200);
            assertThat(openClient.get("/nfl/v1/teams").statusCode()).isEqualTo(200);
        }
    }
}
