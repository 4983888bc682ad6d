package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Call counters count every request that reached a route, per route template")
class CallCountersTest {
    private final UpstreamSimulator simulator =
            UpstreamSimulator.builder().build().start();
    private final SimClient client = new SimClient(simulator);

    @AfterEach
    void stop() {
        simulator.close();
    }

    private void callEveryRoute() {
        client.get("/nfl/v1/teams");
        client.get("/nfl/v1/teams/1");
        client.get("/nfl/v1/teams/1/roster?season=2024");
        client.get("/nfl/v1/teams/2/roster?season=2024");
        client.get("/nfl/v1/teams/3/roster?season=2024");
        client.get("/nfl/v1/players?search=watt");
        client.get("/nfl/v1/players/1");
        client.get("/nfl/v1/season_stats?season=2024&player_ids[]=1");
    }

    @Test
    @DisplayName("each route is counted under its template, and the total is their sum")
    void perRoute() {
        callEveryRoute();

        UpstreamCalls calls = simulator.calls();
        assertThat(calls.total()).isEqualTo(8);
        assertThat(calls.route(UpstreamCalls.TEAMS)).isEqualTo(1);
        assertThat(calls.route(UpstreamCalls.TEAM)).isEqualTo(1);
        assertThat(calls.route(UpstreamCalls.ROSTER)).isEqualTo(3);
        assertThat(calls.route(UpstreamCalls.PLAYERS)).isEqualTo(1);
        assertThat(calls.route(UpstreamCalls.PLAYER)).isEqualTo(1);
        assertThat(calls.route(UpstreamCalls.SEASON_STATS)).isEqualTo(1);
        assertThat(calls.byRoute()).hasSize(6);
        assertThat(calls.rateLimited()).isZero();
        assertThat(calls.faults()).isZero();
    }

    @Test
    @DisplayName("answers with 400 or 404 are calls; unknown paths, other methods and admin requests are not")
    void whatCounts() {
        client.get("/nfl/v1/teams/99");
        client.get("/nfl/v1/teams/1/roster");
        client.get("/nfl/v1/elsewhere");
        client.send("DELETE", "/nfl/v1/teams");
        client.get("/admin/calls");

        UpstreamCalls calls = simulator.calls();
        assertThat(calls.total()).isEqualTo(2);
        assertThat(calls.route(UpstreamCalls.TEAM)).isEqualTo(1);
        assertThat(calls.route(UpstreamCalls.ROSTER)).isEqualTo(1);
    }

    @Test
    @DisplayName("faulted requests are calls, counted apart as faults")
    void faults() {
        simulator.failNext(1, 503);
        client.get("/nfl/v1/teams");
        client.get("/nfl/v1/teams");

        assertThat(simulator.calls().total()).isEqualTo(2);
        assertThat(simulator.calls().faults()).isEqualTo(1);
    }

    @Test
    @DisplayName("reset zeroes every counter")
    void reset() {
        callEveryRoute();

        simulator.resetCounters();

        UpstreamCalls calls = simulator.calls();
        assertThat(calls.total()).isZero();
        assertThat(calls.byRoute().values()).containsOnly(0L);
        assertThat(simulator.maxAcceptedInAnyMinute()).isZero();
        client.get("/nfl/v1/teams");
        assertThat(simulator.calls().route(UpstreamCalls.TEAMS)).isEqualTo(1);
    }

    @Test
    @DisplayName("GET /admin/calls shows the counters as JSON and POST /admin/reset zeroes them")
    void admin() {
        callEveryRoute();

        JsonNode counters = client.ok("/admin/calls");
        assertThat(counters.get("total").asLong()).isEqualTo(8);
        assertThat(counters.get("by_route").get("GET /nfl/v1/teams/{id}/roster").asLong())
                .isEqualTo(3);
        assertThat(counters.get("rate_limited").asLong()).isZero();
        assertThat(counters.has("max_accepted_in_any_minute")).isTrue();

        HttpResponse<String> reset = client.send("POST", "/admin/reset");
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(SimClient.json(reset).get("total").asLong()).isZero();
        assertThat(simulator.calls().total()).isZero();
    }

    @Test
    @DisplayName("admin paths answer 405 to the wrong method and 404 when unknown")
    void adminErrors() {
        assertThat(client.get("/admin/reset").statusCode()).isEqualTo(405);
        assertThat(client.send("POST", "/admin/calls").statusCode()).isEqualTo(405);
        assertThat(client.get("/admin/other").statusCode()).isEqualTo(404);
        assertThat(simulator.calls().total()).isZero();
    }
}
