package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Teams are the 32 real teams of the teams file, numbered in its order")
class TeamsTest extends DefaultSimulatorTest {
    @Test
    @DisplayName("the list holds 32 distinct teams on one page")
    void thirtyTwo() {
        JsonNode answer = client.ok("/nfl/v1/teams");

        List<String> abbreviations = new ArrayList<>();
        answer.get("data")
                .forEach(team -> abbreviations.add(team.get("abbreviation").asText()));
        assertThat(abbreviations).hasSize(32).doesNotHaveDuplicates();
        assertThat(answer.path("meta").path("next_cursor").isMissingNode()).isTrue();
    }

    @Test
    @DisplayName("Buffalo is number 1 with the facts of the file")
    void buffalo() {
        JsonNode buffalo = client.ok("/nfl/v1/teams").get("data").get(0);

        assertThat(buffalo.get("id").asInt()).isEqualTo(1);
        assertThat(buffalo.get("abbreviation").asText()).isEqualTo("BUF");
        assertThat(buffalo.get("location").asText()).isEqualTo("Buffalo");
        assertThat(buffalo.get("name").asText()).isEqualTo("Bills");
        assertThat(buffalo.get("full_name").asText()).isEqualTo("Buffalo Bills");
        assertThat(buffalo.get("conference").asText()).isEqualTo("AFC");
        assertThat(buffalo.get("division").asText()).isEqualTo("EAST");
    }

    @Test
    @DisplayName("one team is served by its number: 14 is Kansas City, 32 is Seattle")
    void byNumber() {
        assertThat(client.ok("/nfl/v1/teams/14").get("data").get("abbreviation").asText())
                .isEqualTo("KC");
        JsonNode seattle = client.ok("/nfl/v1/teams/32").get("data");
        assertThat(seattle.get("full_name").asText()).isEqualTo("Seattle Seahawks");
        assertThat(seattle.get("conference").asText()).isEqualTo("NFC");
        assertThat(seattle.get("division").asText()).isEqualTo("WEST");
    }

    @Test
    @DisplayName("an unknown team number is 404 and a team id that is not a number is 400, both as JSON errors")
    void unknown() {
        assertThat(client.get("/nfl/v1/teams/33").statusCode()).isEqualTo(404);
        assertThat(SimClient.error(client.get("/nfl/v1/teams/33"))).contains("33");
        assertThat(client.get("/nfl/v1/teams/KC").statusCode()).isEqualTo(400);
        assertThat(SimClient.error(client.get("/nfl/v1/teams/KC"))).contains("team id");
    }

    @Test
    @DisplayName("every answer says that the data are synthetic")
    void synthetic() {
        assertThat(client.get("/nfl/v1/teams").headers().firstValue("X-Data-Synthetic"))
                .hasValue("true");
        assertThat(client.get("/nfl/v1/teams/99").headers().firstValue("X-Data-Synthetic"))
                .hasValue("true");
    }
}
