package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Players are found by id, by name search and by walking the pages")
class PlayersTest extends DefaultSimulatorTest {
    private static List<JsonNode> search(String text) {
        return client.allPages("/nfl/v1/players?search=" + URLEncoder.encode(text, StandardCharsets.UTF_8));
    }

    private static List<String> names(List<JsonNode> players) {
        return players.stream()
                .map(player -> player.get("first_name").asText() + " "
                        + player.get("last_name").asText())
                .toList();
    }

    @Nested
    @DisplayName("by name")
    class ByName {
        @AfterEach
        void searchBackOn() {
            simulator.setNameSearch(true);
        }

        @Test
        @DisplayName(
                "T.J. Watt is found by his full name, and with the retired J.J. Watt by part of the last name, in any case")
        void watt() {
            assertThat(names(search("T.J. Watt"))).containsExactly("T.J. Watt");
            List<JsonNode> found = search("watt");
            assertThat(names(found)).containsExactly("T.J. Watt", "J.J. Watt");
            assertThat(found.get(0).get("team").get("abbreviation").asText()).isEqualTo("PIT");
            assertThat(found.get(1).get("team").isNull()).isTrue();
            assertThat(names(search("WATT"))).containsExactly("T.J. Watt", "J.J. Watt");
        }

        @Test
        @DisplayName("Aaron Donald is found, retired, with no team")
        void donald() {
            List<JsonNode> found = search("Aaron Donald");

            assertThat(found).hasSize(1);
            JsonNode donald = found.get(0);
            assertThat(donald.get("position_abbreviation").asText()).isEqualTo("DT");
            assertThat(donald.has("team")).as("team is written, as null").isTrue();
            assertThat(donald.get("team").isNull()).isTrue();
        }

        @Test
        @DisplayName("the retired players are found by name, each on no team")
        void retired() {
            for (String name : List.of("Aaron Donald", "J.J. Watt", "Tom Brady", "Luke Kuechly")) {
                List<JsonNode> found = search(name);
                assertThat(names(found)).as(name).containsExactly(name);
                assertThat(found.get(0).get("team").isNull()).as(name).isTrue();
            }
        }

        @Test
        @DisplayName("the named players are on their real 2024 teams at their positions")
        void named() {
            assertPlays("Patrick Mahomes", "KC", "QB");
            assertPlays("Josh Allen", "BUF", "QB");
            assertPlays("Lamar Jackson", "BAL", "QB");
            assertPlays("Justin Jefferson", "MIN", "WR");
            assertPlays("Micah Parsons", "DAL", "LB");
            assertPlays("Myles Garrett", "CLE", "DE");
        }

        private void assertPlays(String name, String team, String position) {
            List<JsonNode> found = search(name);
            assertThat(found).as(name).hasSize(1);
            assertThat(found.get(0).get("team").get("abbreviation").asText())
                    .as(name)
                    .isEqualTo(team);
            assertThat(found.get(0).get("position_abbreviation").asText())
                    .as(name)
                    .isEqualTo(position);
        }

        @Test
        @DisplayName("two players on two teams share the name " + UpstreamSimulator.SHARED_NAME)
        void sharedName() {
            List<JsonNode> found = search(UpstreamSimulator.SHARED_NAME);

            assertThat(names(found)).containsExactly(UpstreamSimulator.SHARED_NAME, UpstreamSimulator.SHARED_NAME);
            assertThat(found.stream()
                            .map(player ->
                                    player.get("team").get("abbreviation").asText()))
                    .containsExactlyInAnyOrder("NYG", "SEA");
            assertThat(found.get(0).get("id")).isNotEqualTo(found.get(1).get("id"));
        }

        @Test
        @DisplayName("no other two players share a full name")
        void noOtherCollision() {
            List<String> everyone = names(client.allPages("/nfl/v1/players?per_page=100"));
            Set<String> seen = new HashSet<>();
            List<String> repeated = new ArrayList<>();
            everyone.forEach(name -> {
                if (!seen.add(name)) {
                    repeated.add(name);
                }
            });
            assertThat(repeated).containsExactly(UpstreamSimulator.SHARED_NAME);
        }

        @Test
        @DisplayName("a name nobody has finds nobody")
        void nobody() {
            assertThat(search("Zzyzx")).isEmpty();
        }

        @Test
        @DisplayName("with name search switched off, a search answers 400 with the plan's text, and works when back on")
        void switchedOff() {
            simulator.setNameSearch(false);

            var refused = client.get("/nfl/v1/players?search=watt");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(SimClient.error(refused)).isEqualTo("search is not supported by this plan");
            assertThat(client.ok("/nfl/v1/players?per_page=5").get("data")).hasSize(5);

            simulator.setNameSearch(true);
            assertThat(names(search("watt"))).containsExactly("T.J. Watt", "J.J. Watt");
        }

        @Test
        @DisplayName("a search of more than 100 characters or of blanks is 400")
        void badSearch() {
            assertThat(client.get("/nfl/v1/players?search=" + "a".repeat(101)).statusCode())
                    .isEqualTo(400);
            assertThat(client.get("/nfl/v1/players?search=%20%20").statusCode()).isEqualTo(400);
            assertThat(client.get("/nfl/v1/players?search=" + "a".repeat(100)).statusCode())
                    .isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("by id")
    class ById {
        @Test
        @DisplayName("a player is served by id with every balldontlie field")
        void one() {
            long id = search("Patrick Mahomes").get(0).get("id").asLong();

            JsonNode mahomes = client.ok("/nfl/v1/players/" + id).get("data");

            assertThat(mahomes.get("last_name").asText()).isEqualTo("Mahomes");
            assertThat(mahomes.fieldNames())
                    .toIterable()
                    .containsExactlyInAnyOrder(
                            "id",
                            "first_name",
                            "last_name",
                            "position",
                            "position_abbreviation",
                            "height",
                            "weight",
                            "jersey_number",
                            "college",
                            "experience",
                            "age",
                            "team");
            assertThat(mahomes.get("jersey_number").asText()).isEqualTo("15");
            assertThat(mahomes.get("college").asText()).isEqualTo("Texas Tech");
        }

        @Test
        @DisplayName("an unknown id is 404, an id that is not a number 400")
        void unknown() {
            assertThat(client.get("/nfl/v1/players/999999").statusCode()).isEqualTo(404);
            assertThat(client.get("/nfl/v1/players/mahomes").statusCode()).isEqualTo(400);
        }
    }

    @Nested
    @DisplayName("by pages")
    class ByPages {
        @Test
        @DisplayName("walking every page meets each of the 32 x 53 + 4 players once, in id order")
        void walk() {
            List<JsonNode> everyone = client.allPages("/nfl/v1/players?per_page=100");

            List<Long> ids =
                    everyone.stream().map(player -> player.get("id").asLong()).toList();
            assertThat(ids).hasSize(32 * 53 + 4).doesNotHaveDuplicates().isSorted();
        }

        @Test
        @DisplayName("the default page holds 25 and names the next cursor; the last page has none")
        void pages() {
            JsonNode first = client.ok("/nfl/v1/players");
            assertThat(first.get("data")).hasSize(25);
            assertThat(first.get("meta").get("per_page").asInt()).isEqualTo(25);
            long cursor = first.get("meta").get("next_cursor").asLong();
            assertThat(cursor).isEqualTo(first.get("data").get(24).get("id").asLong());

            JsonNode second = client.ok("/nfl/v1/players?cursor=" + cursor);
            assertThat(second.get("data").get(0).get("id").asLong()).isGreaterThan(cursor);

            JsonNode last = client.ok("/nfl/v1/players?per_page=100&cursor=3200");
            assertThat(last.get("meta").has("next_cursor")).isFalse();
        }

        @Test
        @DisplayName("per_page is capped at 100; a bad per_page or cursor is 400")
        void limits() {
            assertThat(client.ok("/nfl/v1/players?per_page=500").get("data")).hasSize(100);
            assertThat(client.get("/nfl/v1/players?per_page=0").statusCode()).isEqualTo(400);
            assertThat(client.get("/nfl/v1/players?per_page=ten").statusCode()).isEqualTo(400);
            assertThat(client.get("/nfl/v1/players?cursor=-1").statusCode()).isEqualTo(400);
            assertThat(SimClient.error(client.get("/nfl/v1/players?cursor=x")))
                    .isEqualTo("cursor must be a whole number, was 'x'");
        }
    }
}
