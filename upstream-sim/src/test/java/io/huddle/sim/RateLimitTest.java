package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The rate limit allows so many accepted requests per key in any sliding minute of the clock")
class RateLimitTest {
    private final ManualClock clock = new ManualClock();
    private final UpstreamSimulator simulator = UpstreamSimulator.builder()
            .rateLimitPerMinute(60)
            .clock(clock)
            .build()
            .start();
    private final SimClient client = new SimClient(simulator);

    @AfterEach
    void stop() {
        simulator.close();
    }

    private void acceptAll(int requests, String key) {
        for (int i = 0; i < requests; i++) {
            assertThat(client.get("/nfl/v1/teams", key).statusCode())
                    .as("request %d", i + 1)
                    .isEqualTo(200);
        }
    }

    @Test
    @DisplayName("60 are accepted, the 61st is 429 with Retry-After, and a minute later one is accepted again")
    void sixtyThenRefused() {
        acceptAll(60, "key-a");

        HttpResponse<String> refused = client.get("/nfl/v1/teams", "key-a");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(SimClient.error(refused)).isEqualTo("rate limit exceeded");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");

        clock.advance(Duration.ofSeconds(59));
        HttpResponse<String> stillRefused = client.get("/nfl/v1/teams", "key-a");
        assertThat(stillRefused.statusCode()).isEqualTo(429);
        assertThat(stillRefused.headers().firstValue("Retry-After")).hasValue("1");

        clock.advance(Duration.ofSeconds(1));
        assertThat(client.get("/nfl/v1/teams", "key-a").statusCode()).isEqualTo(200);
        assertThat(client.get("/nfl/v1/teams", "key-a").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("the window slides: slots free one by one as the earliest requests leave it")
    void sliding() {
        acceptAll(30, "key-a");
        clock.advance(Duration.ofSeconds(30));
        acceptAll(30, "key-a");
        assertThat(client.get("/nfl/v1/teams", "key-a").statusCode()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(30));
        acceptAll(30, "key-a");
        HttpResponse<String> refused = client.get("/nfl/v1/teams", "key-a");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
    }

    @Test
    @DisplayName("each key has its own budget; requests without a key share the anonymous one")
    void perKey() {
        acceptAll(60, "key-a");
        assertThat(client.get("/nfl/v1/teams", "key-a").statusCode()).isEqualTo(429);

        acceptAll(60, "key-b");
        for (int i = 0; i < 60; i++) {
            assertThat(client.get("/nfl/v1/teams").statusCode()).isEqualTo(200);
        }
        assertThat(client.get("/nfl/v1/teams").statusCode()).isEqualTo(429);
    }

    @Test
    @DisplayName("refused requests are counted apart and the most accepted in a minute stays at the limit")
    void counted() {
        acceptAll(60, "key-a");
        client.get("/nfl/v1/teams", "key-a");
        client.get("/nfl/v1/teams", "key-a");

        UpstreamCalls calls = simulator.calls();
        assertThat(calls.total()).isEqualTo(62);
        assertThat(calls.rateLimited()).isEqualTo(2);
        assertThat(calls.accepted()).isEqualTo(60);
        assertThat(simulator.maxAcceptedInAnyMinute()).isEqualTo(60);
        assertThat(calls.maxAcceptedInAnyMinute()).isEqualTo(60);
    }

    @Test
    @DisplayName("of 200 concurrent requests on one key exactly 60 are accepted and 140 refused")
    void concurrent() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(simulator.baseUrl().resolve("/nfl/v1/teams"))
                .header("Authorization", "key-a")
                .build();
        List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        }

        Map<Integer, Long> byStatus = new HashMap<>();
        for (CompletableFuture<HttpResponse<Void>> answer : answers) {
            byStatus.merge(answer.get(10, TimeUnit.SECONDS).statusCode(), 1L, Long::sum);
        }
        assertThat(byStatus).containsOnly(Map.entry(200, 60L), Map.entry(429, 140L));
        assertThat(simulator.calls().rateLimited()).isEqualTo(140);
        assertThat(simulator.maxAcceptedInAnyMinute()).isEqualTo(60);
    }

    @Test
    @DisplayName("the limit changes while running, and 0 turns it off")
    void liveSwitch() {
        simulator.setRateLimitPerMinute(2);
        acceptAll(2, "key-a");
        assertThat(client.get("/nfl/v1/teams", "key-a").statusCode()).isEqualTo(429);

        simulator.setRateLimitPerMinute(0);
        acceptAll(100, "key-a");
        assertThat(simulator.maxAcceptedInAnyMinute()).isEqualTo(102);
    }

    @Test
    @DisplayName(
            "a shorter window counts the same limit over its own length, and a window that is not positive is refused")
    void shorterWindow() {
        try (UpstreamSimulator fast = UpstreamSimulator.builder()
                .rateLimitPerMinute(3)
                .rateWindow(Duration.ofSeconds(4))
                .clock(clock)
                .build()
                .start()) {
            SimClient fastClient = new SimClient(fast);
            for (int i = 0; i < 3; i++) {
                assertThat(fastClient.get("/nfl/v1/teams", "key-a").statusCode())
                        .isEqualTo(200);
            }
            HttpResponse<String> refused = fastClient.get("/nfl/v1/teams", "key-a");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("4");

            clock.advance(Duration.ofSeconds(4));
            assertThat(fastClient.get("/nfl/v1/teams", "key-a").statusCode()).isEqualTo(200);
            assertThat(fast.maxAcceptedInAnyMinute()).isEqualTo(3);
        }
        assertThatThrownBy(() -> UpstreamSimulator.builder().rateWindow(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rateWindow must be positive, was PT0S");
    }
}
