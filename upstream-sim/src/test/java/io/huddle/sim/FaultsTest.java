package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Faults are scripted or random, and a healed simulator answers normally")
class FaultsTest {
    private final ManualClock clock = new ManualClock();
    private final UpstreamSimulator simulator =
            UpstreamSimulator.builder().clock(clock).build().start();
    private final SimClient client = new SimClient(simulator);

    @AfterEach
    void stop() {
        simulator.close();
    }

    private int status() {
        return client.get("/nfl/v1/teams").statusCode();
    }

    @Test
    @DisplayName("failNext(2, 503) gives two 503 with a JSON error, then 200")
    void failNext() {
        simulator.failNext(2, 503);

        HttpResponse<String> first = client.get("/nfl/v1/teams");
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(SimClient.error(first)).isNotBlank();
        assertThat(status()).isEqualTo(503);
        assertThat(status()).isEqualTo(200);
    }

    @Test
    @DisplayName("failAll fails every request until heal")
    void failAll() {
        simulator.failAll(500);

        for (int i = 0; i < 5; i++) {
            assertThat(status()).isEqualTo(500);
        }
        simulator.heal();
        assertThat(status()).isEqualTo(200);
    }

    @Test
    @DisplayName("failFor fails every request for that long by the simulator's clock")
    void failFor() {
        simulator.failFor(Duration.ofSeconds(30), 502);

        assertThat(status()).isEqualTo(502);
        clock.advance(Duration.ofSeconds(29));
        assertThat(status()).isEqualTo(502);
        clock.advance(Duration.ofSeconds(1));
        assertThat(status()).isEqualTo(200);
    }

    @Test
    @DisplayName("malformedNext answers 200 with a body that is not valid JSON, once")
    void malformed() {
        simulator.malformedNext(1);

        HttpResponse<String> broken = client.get("/nfl/v1/teams");
        assertThat(broken.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> SimClient.JSON.readTree(broken.body())).isInstanceOf(JsonProcessingException.class);
        assertThat(client.ok("/nfl/v1/teams").get("data")).hasSize(32);
    }

    @Test
    @DisplayName("hangNext keeps the request unanswered until the client's timeout fires; the next is answered")
    void hang() {
        simulator.hangNext(1);

        assertThatThrownBy(() -> client.getWithin("/nfl/v1/teams", Duration.ofSeconds(1)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(status()).isEqualTo(200);
        assertThat(simulator.calls().faults()).isEqualTo(1);
    }

    @Test
    @DisplayName("random faults are 500, 502 or 503, and the same seed fails the same requests")
    void random() {
        List<Integer> first = randomRun();
        List<Integer> second = randomRun();

        assertThat(first).isEqualTo(second);
        assertThat(first).contains(200).containsAnyOf(500, 502, 503);
        assertThat(first).allSatisfy(status -> assertThat(status).isIn(200, 500, 502, 503));
    }

    private List<Integer> randomRun() {
        simulator.randomFaults(0.5, 11L);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            statuses.add(status());
        }
        simulator.randomFaults(0, 0L);
        return statuses;
    }

    @Test
    @DisplayName("a fault must be a 5xx status and counts must not be negative")
    void arguments() {
        assertThatThrownBy(() -> simulator.failNext(1, 404))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("404");
        assertThatThrownBy(() -> simulator.failAll(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> simulator.hangNext(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> simulator.randomFaults(1.5, 1L)).isInstanceOf(IllegalArgumentException.class);
    }
}
