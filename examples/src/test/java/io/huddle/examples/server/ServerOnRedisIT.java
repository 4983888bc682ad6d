package io.huddle.examples.server;

import static io.huddle.examples.server.ChatApiTest.get;
import static io.huddle.examples.server.ChatApiTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.redis.OwnedRedis;
import io.huddle.testkit.Eventually;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Two servers on the near cache, sharing a Redis this test owns, kills and restarts")
class ServerOnRedisIT {
    private static final String COMPARE = "/api/compare?a=" + q("Josh Allen") + "&b=" + q("Lamar Jackson");

    @Test
    @DisplayName("share one cache; keep answering from local copies while Redis is down, which /health shows")
    void sharedCacheAndRedisFailure() throws Exception {
        try (OwnedRedis redis = OwnedRedis.start();
                HuddleServer first = near(redis);
                HuddleServer second = near(redis)) {
            assertThat(get(first, COMPARE).status()).isEqualTo(200);
            long firstCalls = first.simulator().orElseThrow().calls().accepted();
            assertThat(get(second, COMPARE).status()).isEqualTo(200);
            assertThat(second.simulator().orElseThrow().calls().accepted())
                    .as("the second server's upstream calls: the first one's loads are in Redis")
                    .isZero();
            assertThat(firstCalls).isPositive();
            JsonNode health = get(second, "/health").body();
            assertThat(health.path("status").asText()).isEqualTo("up");
            assertThat(health.path("redis").path("state").asText()).isEqualTo("up");
            assertThat(health.path("bus").path("state").asText()).isEqualTo("up");

            redis.kill();
            ChatApiTest.Answer during = get(second, COMPARE);
            JsonNode down = get(second, "/health").body();

            assertThat(during.status())
                    .as("a cached comparison while Redis is down")
                    .isEqualTo(200);
            assertThat(down.path("status").asText()).isEqualTo("degraded");
            assertThat(down.path("redis").path("state").asText()).isEqualTo("down");
            assertThat(down.path("backend").path("state").asText()).isEqualTo("degraded");
            assertThat(down.path("budget").path("state").asText()).isEqualTo("degraded");

            redis.restart();
            Eventually.await(
                    "/health says up again after the restart",
                    Duration.ofSeconds(30),
                    () -> "up".equals(health(second)));
            assertThat(get(first, COMPARE).status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("a Redis that does not answer stops the start with a message naming it")
    void unreachableRedis() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String address = "redis://127.0.0.1:" + port;

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HuddleServer.start(
                        "--port", "0", "--latency-ms", "0", "--backend", "redis", "--redis", address))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + port + " does not answer");
    }

    private static String health(HuddleServer server) {
        try {
            return get(server, "/health").body().path("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HuddleServer near(OwnedRedis redis) {
        return HuddleServer.start(
                "--port",
                "0",
                "--latency-ms",
                "0",
                "--backend",
                "near",
                "--redis",
                redis.uri().toString(),
                "--ahead",
                "off"); // nothing loaded ahead, so that each server's upstream calls are its users' own
    }
}
