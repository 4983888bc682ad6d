package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Odd requests get clear JSON errors, never a 500")
class BadInputTest extends DefaultSimulatorTest {
    @Test
    @DisplayName("unknown paths are 404 and other methods 405, as JSON")
    void paths() {
        HttpResponse<String> unknown = client.get("/nfl/v1/baseball");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(SimClient.error(unknown)).contains("/nfl/v1/baseball");
        assertThat(client.get("/").statusCode()).isEqualTo(404);
        assertThat(client.get("/nfl/v1/teams/1/roster/extra").statusCode()).isEqualTo(404);

        HttpResponse<String> post = client.send("POST", "/nfl/v1/players");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(SimClient.error(post)).isNotBlank();
    }

    @Test
    @DisplayName("a list of odd inputs all get an answer below 500 with a JSON body")
    void odd() {
        List<String> requests = List.of(
                "/nfl/v1/players?per_page=99999999999999999999",
                "/nfl/v1/players?cursor=9223372036854775807",
                "/nfl/v1/players?cursor=99999999999999999999",
                "/nfl/v1/players?search=%00%01",
                "/nfl/v1/players?search=%E2%9C%93%F0%9F%8F%88",
                "/nfl/v1/players?search=%25%25",
                "/nfl/v1/players?search",
                "/nfl/v1/players?&&=&=x&search=allen",
                "/nfl/v1/players/-1",
                "/nfl/v1/players/1.5",
                "/nfl/v1/teams/0",
                "/nfl/v1/teams/2147483648",
                "/nfl/v1/teams//roster?season=2024",
                "/nfl/v1/teams/1/roster?season=",
                "/nfl/v1/teams/1/roster?season=2024&season=x",
                "/nfl/v1/season_stats?season=-5",
                "/nfl/v1/season_stats?season=2024&player_ids[]=",
                "/nfl/v1/season_stats?season=2024&player_ids=1",
                "/nfl/v1/season_stats?season=2024&player_ids%5B%5D=1&per_page=-3");
        for (String request : requests) {
            HttpResponse<String> response = client.get(request);
            assertThat(response.statusCode()).as(request).isLessThan(500);
            assertThat(SimClient.json(response).isObject()).as(request).isTrue();
        }
    }

    @Test
    @DisplayName("a number too large for a cursor or an id is a 400 that names the parameter")
    void tooLarge() {
        assertThat(SimClient.error(client.get("/nfl/v1/players?cursor=99999999999999999999")))
                .startsWith("cursor must be a whole number");
        assertThat(SimClient.error(client.get("/nfl/v1/teams/2147483648"))).startsWith("team id");
    }
}
