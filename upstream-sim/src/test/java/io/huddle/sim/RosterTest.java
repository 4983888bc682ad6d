package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rosters hold 53 players each, the named players on their real 2024 teams")
class RosterTest extends DefaultSimulatorTest {
    private static final int KANSAS_CITY = 14;

    private static List<JsonNode> roster(int team) {
        List<JsonNode> players = new ArrayList<>();
        client.ok("/nfl/v1/teams/" + team + "/roster?season=2024").get("data").forEach(players::add);
        return players;
    }

    private static String fullName(JsonNode player) {
        return player.get("first_name").asText() + " " + player.get("last_name").asText();
    }

    @Test
    @DisplayName("Kansas City has Patrick Mahomes at QB among its 53")
    void mahomes() {
        List<JsonNode> chiefs = roster(KANSAS_CITY);

        assertThat(chiefs).hasSize(53);
        JsonNode mahomes = chiefs.stream()
                .filter(player -> fullName(player).equals("Patrick Mahomes"))
                .findFirst()
                .orElseThrow();
        assertThat(mahomes.get("position_abbreviation").asText()).isEqualTo("QB");
        assertThat(mahomes.get("position").asText()).isEqualTo("Quarterback");
        assertThat(mahomes.get("team").get("abbreviation").asText()).isEqualTo("KC");
        assertThat(chiefs)
                .filteredOn(
                        player -> player.get("position_abbreviation").asText().equals("QB"))
                .hasSize(3);
    }

    @Test
    @DisplayName("every team has 53 players who all play for it, and Aaron Donald is on no roster")
    void everyTeam() {
        List<String> everyone = new ArrayList<>();
        for (int team = 1; team <= 32; team++) {
            List<JsonNode> players = roster(team);
            int number = team;
            assertThat(players).hasSize(53);
            assertThat(players)
                    .allSatisfy(player ->
                            assertThat(player.get("team").get("id").asInt()).isEqualTo(number));
            players.forEach(player -> everyone.add(fullName(player)));
        }
        assertThat(everyone).hasSize(32 * 53).doesNotContain("Aaron Donald");
        assertThat(everyone)
                .contains(
                        "Josh Allen",
                        "Lamar Jackson",
                        "Justin Jefferson",
                        "Micah Parsons",
                        "T.J. Watt",
                        "Myles Garrett");
    }

    @Test
    @DisplayName("a roster needs a season given as a number")
    void season() {
        assertThat(client.get("/nfl/v1/teams/14/roster").statusCode()).isEqualTo(400);
        assertThat(SimClient.error(client.get("/nfl/v1/teams/14/roster"))).isEqualTo("season is required");
        assertThat(client.get("/nfl/v1/teams/14/roster?season=last").statusCode())
                .isEqualTo(400);
    }

    @Test
    @DisplayName("a season without data gives an empty roster, an unknown team 404")
    void otherSeasonAndTeam() {
        assertThat(client.ok("/nfl/v1/teams/14/roster?season=2019").get("data")).isEmpty();
        assertThat(client.get("/nfl/v1/teams/40/roster?season=2024").statusCode())
                .isEqualTo(404);
    }
}
