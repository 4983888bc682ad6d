package io.huddle.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.sim.UpstreamSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The server's chatbot API, over real HTTP, on the in-process simulator")
class ChatApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static HuddleServer server;

    @BeforeAll
    static void start() {
        server = HuddleServer.start("--port", "0", "--latency-ms", "0", "--ahead", "off");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An answer: its status, headers and JSON body. */
    record Answer(int status, HttpResponse<String> response, JsonNode body) {
        String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }
    }

    static Answer get(HuddleServer on, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(on.baseUrl() + pathAndQuery))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? JSON.nullNode() : parse(response.body());
        return new Answer(response.statusCode(), response, body);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A problem document as RFC 9457 has it, with nothing a user should not see. */
    static void assertProblem(Answer answer, int status, String type) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith(Problem.CONTENT_TYPE);
        assertThat(answer.body().path("status").asInt()).isEqualTo(status);
        assertThat(answer.body().path("type").asText()).isEqualTo("/problems/" + type);
        assertThat(answer.body().path("title").asText()).isNotBlank();
        assertThat(answer.body().path("detail").asText()).isNotBlank();
        assertThat(answer.response().body())
                .doesNotContain(ServerOptions.SIM_API_KEY)
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("127.0.0.1");
    }

    @Nested
    @DisplayName("players")
    class Players {
        @Test
        @DisplayName("a full name answers the one player")
        void onePlayer() throws Exception {
            Answer answer = get(server, "/api/players?name=" + q("patrick  MAHOMES"));

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("ambiguous").asBoolean()).isFalse();
            assertThat(answer.body().path("players")).hasSize(1);
            JsonNode player = answer.body().path("players").get(0);
            assertThat(player.path("name").asText()).isEqualTo("Patrick Mahomes");
            assertThat(player.path("team").asText()).isEqualTo("KC");
            assertThat(player.path("position").asText()).isEqualTo("QB");
        }

        @Test
        @DisplayName("a name two players share answers both candidates")
        void candidates() throws Exception {
            Answer answer = get(server, "/api/players?name=" + q(UpstreamSimulator.SHARED_NAME));

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("ambiguous").asBoolean()).isTrue();
            assertThat(answer.body().path("players")).hasSize(2);
        }

        @Test
        @DisplayName("a player's season answers his statistics")
        void stats() throws Exception {
            Answer answer = get(server, "/api/players/" + q("Josh Allen") + "/stats?season=2024");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("season").asInt()).isEqualTo(2024);
            assertThat(answer.body().path("player").path("team").asText()).isEqualTo("BUF");
            assertThat(answer.body().path("stats").path("passing").path("yards").asInt())
                    .isPositive();
        }

        @Test
        @DisplayName("an empty, overlong or odd name is a 400 invalid-name problem")
        void invalidNames() throws Exception {
            assertProblem(get(server, "/api/players?name="), 400, "invalid-name");
            assertProblem(get(server, "/api/players?name=" + q("x".repeat(500))), 400, "invalid-name");
            assertProblem(get(server, "/api/players?name=" + q("Josh\u0001Allen")), 400, "invalid-name");
        }

        @Test
        @DisplayName("an address Jetty cannot read (a NUL in the path) is a 400 problem too, not an HTML page")
        void unreadableAddress() throws Exception {
            assertProblem(get(server, "/api/players/" + q("Josh\u0000Allen") + "/stats"), 400, "bad-request");
        }

        @Test
        @DisplayName("a name nobody has is a 404 player-not-found problem naming it")
        void unknown() throws Exception {
            Answer answer = get(server, "/api/players/" + q("Nobody Atall") + "/stats");

            assertProblem(answer, 404, "player-not-found");
            assertThat(answer.body().path("detail").asText()).contains("Nobody Atall");
            assertThat(answer.body().path("instance").asText()).startsWith("/api/players/");
        }

        @Test
        @DisplayName("a season that is not a year is a 400 problem; the query parameter is required")
        void badParameters() throws Exception {
            assertProblem(get(server, "/api/players/" + q("Josh Allen") + "/stats?season=soon"), 400, "bad-request");
            assertProblem(get(server, "/api/players/" + q("Josh Allen") + "/stats?season=1800"), 400, "bad-request");
            assertProblem(get(server, "/api/players"), 400, "bad-request");
        }
    }

    @Nested
    @DisplayName("compare")
    class Compare {
        @Test
        @DisplayName("two players answer side by side, each with his season")
        void twoPlayers() throws Exception {
            Answer answer = get(server, "/api/compare?a=" + q("Josh Allen") + "&b=" + q("Lamar Jackson"));

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("season").asInt()).isEqualTo(UpstreamSimulator.SEASON);
            assertThat(answer.body().path("first").path("player").path("name").asText())
                    .isEqualTo("Josh Allen");
            assertThat(answer.body().path("second").path("player").path("name").asText())
                    .isEqualTo("Lamar Jackson");
            assertThat(answer.body()
                            .path("second")
                            .path("stats")
                            .path("passing")
                            .isObject())
                    .isTrue();
        }

        @Test
        @DisplayName("an ambiguous name is a 409 problem listing the candidates")
        void ambiguous() throws Exception {
            Answer answer = get(server, "/api/compare?a=" + q(UpstreamSimulator.SHARED_NAME) + "&b=" + q("Josh Allen"));

            assertProblem(answer, 409, "ambiguous-name");
            assertThat(answer.body().path("candidates")).hasSize(2);
            assertThat(answer.body().path("candidates").get(0).path("name").asText())
                    .isEqualTo(UpstreamSimulator.SHARED_NAME);
        }

        @Test
        @DisplayName("without both names it is a 400 problem naming the missing one")
        void missingName() throws Exception {
            Answer answer = get(server, "/api/compare?a=" + q("Josh Allen"));

            assertProblem(answer, 400, "bad-request");
            assertThat(answer.body().path("detail").asText()).contains("'b'");
        }
    }

    @Nested
    @DisplayName("teams")
    class Teams {
        @Test
        @DisplayName("the league answers its 32 teams")
        void league() throws Exception {
            Answer answer = get(server, "/api/teams");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("teams")).hasSize(32);
        }

        @Test
        @DisplayName("a roster answers its players; a bad id is a 400, an unknown team a 404")
        void roster() throws Exception {
            Answer roster = get(server, "/api/teams/kc/roster");
            assertThat(roster.status()).isEqualTo(200);
            assertThat(roster.body().path("team").asText()).isEqualTo("KC");
            assertThat(roster.body().path("players").size()).isGreaterThan(10);

            assertProblem(get(server, "/api/teams/K1/roster"), 400, "bad-request");
            assertProblem(get(server, "/api/teams/ZZ/roster"), 404, "not-found");
        }
    }

    @Nested
    @DisplayName("the operator's routes")
    class Operator {
        @Test
        @DisplayName("/api/stats counts the requests the engine counted")
        void stats() throws Exception {
            get(server, "/api/compare?a=" + q("Josh Allen") + "&b=" + q("Lamar Jackson"));
            long requests = server.statistics().requests();

            Answer answer = get(server, "/api/stats");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("backend").asText()).isEqualTo("caffeine");
            assertThat(answer.body().path("total").path("requests").asLong()).isEqualTo(requests);
            assertThat(answer.body().path("kinds").has("stats")).isTrue();
            assertThat(answer.body().path("upstream").path("planPerMinute").asInt())
                    .isEqualTo(60);
            assertThat(answer.body().path("health").path("status").asText()).isEqualTo("up");
        }

        @Test
        @DisplayName("/metrics is Prometheus text with the engine's, the budget's and the client's meters")
        void metrics() throws Exception {
            get(server, "/api/compare?a=" + q("Josh Allen") + "&b=" + q("Lamar Jackson"));

            Answer answer = get(server, "/metrics");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentType()).startsWith("text/plain");
            assertThat(answer.response().body())
                    .contains("huddle_cache_requests_total{cache=\"sports\",kind=\"stats\",result=\"hit\"}")
                    .contains(
                            "huddle_cache_load_duration_seconds{cache=\"sports\",kind=\"stats\",result=\"success\",quantile=\"0.99\"}")
                    .contains("huddle_cache_upstream_calls_saved_total")
                    .contains("huddle_cache_entries{cache=\"sports\",kind=\"player-id\"}")
                    .contains("huddle_budget_permits_total{budget=\"balldontlie\",priority=\"user\"}")
                    .contains("huddle_coordinator_leases_taken_total")
                    .contains("resilience4j_circuitbreaker_state{name=\"balldontlie\",state=\"closed\"} 1.0")
                    .contains("resilience4j_retry_calls_total")
                    .contains("resilience4j_bulkhead_available_concurrent_calls")
                    .doesNotContain(ServerOptions.SIM_API_KEY);
        }

        @Test
        @DisplayName("/api/stats has the loads' time percentiles, from the load timer")
        void loadTimes() throws Exception {
            get(server, "/api/compare?a=" + q("Josh Allen") + "&b=" + q("Lamar Jackson"));

            JsonNode times =
                    get(server, "/api/stats").body().path("kinds").path("stats").path("loadTimeMillis");

            assertThat(times.path("p50").isNumber()).isTrue();
            assertThat(times.path("p99").asDouble())
                    .isGreaterThanOrEqualTo(times.path("p50").asDouble());
        }

        @Test
        @DisplayName("/health says every part's state; an in-process setup is up with Redis off")
        void health() throws Exception {
            Answer answer = get(server, "/health");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("status").asText()).isEqualTo("up");
            assertThat(answer.body().path("redis").path("state").asText()).isEqualTo("off");
            assertThat(answer.body().path("upstream").path("state").asText()).isEqualTo("up");
        }

        @Test
        @DisplayName("an unknown API route is a 404 problem")
        void unknownRoute() throws Exception {
            assertProblem(get(server, "/api/nothing"), 404, "not-found");
        }

        @Test
        @DisplayName("the dashboard and its chart library are served from the jar")
        void dashboard() throws Exception {
            Answer page = get(server, "/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.response().body()).contains("HuddleDashboard.start");
            assertThat(get(server, "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")
                            .status())
                    .isEqualTo(200);
            assertThat(get(server, "/dashboard.js").status()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("with warming and prefetch on (the default)")
    class Ahead {
        @Test
        @DisplayName("the popular players are warmed before anyone asks, then answer without an upstream call")
        void warmed() throws Exception {
            try (HuddleServer warm = HuddleServer.start("--port", "0", "--latency-ms", "0")) {
                UpstreamSimulator sim = warm.simulator().orElseThrow();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (statsEntries(warm) < 6 && System.nanoTime() < deadline) {
                    Thread.sleep(20); // the first warming pass runs on the engine's background threads
                }
                assertThat(statsEntries(warm))
                        .as("the six popular players' stats, cached")
                        .isGreaterThanOrEqualTo(6);
                long before = sim.calls().accepted();

                Answer answer = get(warm, "/api/players/" + q("Patrick Mahomes") + "/stats");

                assertThat(answer.status()).isEqualTo(200);
                assertThat(sim.calls().accepted())
                        .as("upstream calls of a warmed player's question")
                        .isEqualTo(before);
                assertThat(get(warm, "/api/stats")
                                .body()
                                .path("total")
                                .path("warmLoads")
                                .asLong())
                        .isGreaterThanOrEqualTo(6);
            }
        }
    }

    static long statsEntries(HuddleServer on) throws Exception {
        return get(on, "/api/stats")
                .body()
                .path("kinds")
                .path("stats")
                .path("entries")
                .asLong();
    }

    @Nested
    @DisplayName("when the upstream fails")
    class UpstreamDown {
        @Test
        @DisplayName(
                "a question nothing cached can answer is a 503 problem with Retry-After; a cached one still answers")
        void unavailable() throws Exception {
            try (HuddleServer failing = HuddleServer.start("--port", "0", "--latency-ms", "0", "--ahead", "off")) {
                UpstreamSimulator sim = failing.simulator().orElseThrow();
                assertThat(get(failing, "/api/players/" + q("Josh Allen") + "/stats")
                                .status())
                        .isEqualTo(200);
                sim.failAll(503);

                Answer cold = get(failing, "/api/players/" + q("Lamar Jackson") + "/stats");
                Answer cached = get(failing, "/api/players/" + q("Josh Allen") + "/stats");

                assertProblem(cold, 503, "upstream-unavailable");
                assertThat(cold.response().headers().firstValue("Retry-After"))
                        .hasValueSatisfying(
                                seconds -> assertThat(Long.parseLong(seconds)).isPositive());
                assertThat(cold.body().path("retryAfter").asLong()).isPositive();
                assertThat(cached.status()).isEqualTo(200);
            }
        }

        @Test
        @DisplayName("a 429 from the provider is a 503 rate-limited problem whose Retry-After is the provider's")
        void rateLimited() throws Exception {
            Answer answer = coldAnswerAfter(sim -> sim.rateLimitNext(10, "120"));

            assertProblem(answer, 503, "upstream-rate-limited");
            assertThat(answer.response().headers().firstValue("Retry-After")).hasValue("120");
        }

        @Test
        @DisplayName("an answer the client cannot read is a 502 bad-answer problem")
        void badAnswer() throws Exception {
            assertProblem(coldAnswerAfter(sim -> sim.malformedNext(10)), 502, "upstream-bad-answer");
        }

        /** A cold question to a fresh server after the fault is set on its simulator. */
        private Answer coldAnswerAfter(java.util.function.Consumer<UpstreamSimulator> fault) throws Exception {
            try (HuddleServer failing = HuddleServer.start("--port", "0", "--latency-ms", "0", "--ahead", "off")) {
                fault.accept(failing.simulator().orElseThrow());
                return get(failing, "/api/players/" + q("Lamar Jackson") + "/stats");
            }
        }
    }
}
