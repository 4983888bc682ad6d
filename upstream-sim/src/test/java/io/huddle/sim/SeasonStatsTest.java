package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Season stats are synthetic lines with the groups of the player's position")
class SeasonStatsTest extends DefaultSimulatorTest {
    private static final List<String> PASSING = List.of(
            "passing_completions",
            "passing_attempts",
            "passing_yards",
            "passing_touchdowns",
            "passing_interceptions",
            "qb_rating");
    private static final List<String> DEFENCE =
            List.of("total_tackles", "solo_tackles", "defensive_sacks", "defensive_interceptions", "fumbles_forced");
    private static final List<String> RECEIVING =
            List.of("receptions", "receiving_targets", "receiving_yards", "receiving_touchdowns");

    private static long idOf(String name) {
        return client.ok("/nfl/v1/players?search=" + name.replace(" ", "%20"))
                .get("data")
                .get(0)
                .get("id")
                .asLong();
    }

    private static JsonNode lineOf(long id) {
        JsonNode data =
                client.ok("/nfl/v1/season_stats?season=2024&player_ids[]=" + id).get("data");
        assertThat(data).hasSize(1);
        return data.get(0);
    }

    @Test
    @DisplayName("Patrick Mahomes has passing and rushing figures and no defence")
    void mahomes() {
        long id = idOf("Patrick Mahomes");

        JsonNode line = lineOf(id);

        assertThat(line.get("player").get("id").asLong()).isEqualTo(id);
        assertThat(line.get("season").asInt()).isEqualTo(2024);
        assertThat(line.get("games_played").asInt()).isBetween(1, 17);
        PASSING.forEach(field -> assertThat(line.has(field)).as(field).isTrue());
        assertThat(line.get("passing_attempts").asInt())
                .isGreaterThan(line.get("passing_completions").asInt());
        assertThat(line.get("qb_rating").isDouble()).isTrue();
        assertThat(line.has("rushing_yards")).isTrue();
        DEFENCE.forEach(field -> assertThat(line.has(field)).as(field).isFalse());
        RECEIVING.forEach(field -> assertThat(line.has(field)).as(field).isFalse());
    }

    @Test
    @DisplayName("T.J. Watt has defence and no passing; Justin Jefferson has receiving")
    void otherPositions() {
        JsonNode watt = lineOf(idOf("T.J. Watt"));
        DEFENCE.forEach(field -> assertThat(watt.has(field)).as(field).isTrue());
        PASSING.forEach(field -> assertThat(watt.has(field)).as(field).isFalse());

        JsonNode jefferson = lineOf(idOf("Justin Jefferson"));
        RECEIVING.forEach(field -> assertThat(jefferson.has(field)).as(field).isTrue());
        assertThat(jefferson.has("defensive_sacks")).isFalse();
    }

    @Test
    @DisplayName("several players in one request, with the brackets written plainly or URL-encoded")
    void several() {
        long mahomes = idOf("Patrick Mahomes");
        long allen = idOf("Josh Allen");

        JsonNode plain = client.ok("/nfl/v1/season_stats?season=2024&player_ids[]=" + mahomes + "&player_ids[]=" + allen
                + "&per_page=100");
        JsonNode encoded = client.ok("/nfl/v1/season_stats?season=2024&player_ids%5B%5D=" + mahomes
                + "&player_ids%5B%5D=" + allen + "&per_page=100");

        assertThat(plain.get("data")).hasSize(2);
        assertThat(encoded).isEqualTo(plain);
    }

    @Test
    @DisplayName("Aaron Donald, retired, has no 2024 line; an active player has none before 2024")
    void none() {
        assertThat(client.ok("/nfl/v1/season_stats?season=2024&player_ids[]=" + idOf("Aaron Donald"))
                        .get("data"))
                .isEmpty();
        assertThat(client.ok("/nfl/v1/season_stats?season=2023&player_ids[]=" + idOf("Patrick Mahomes"))
                        .get("data"))
                .isEmpty();
    }

    @Test
    @DisplayName("a retired player has a synthetic line for each season he played, on that season's real team")
    void retired() {
        long donald = idOf("Aaron Donald");
        for (int season = 2014; season <= 2023; season++) {
            JsonNode data = client.ok("/nfl/v1/season_stats?season=" + season + "&player_ids[]=" + donald)
                    .get("data");
            assertThat(data).as("%d", season).hasSize(1);
            assertThat(data.get(0).get("season").asInt()).isEqualTo(season);
            assertThat(data.get(0).get("player").get("team").get("abbreviation").asText())
                    .isEqualTo("LAR");
            DEFENCE.forEach(
                    field -> assertThat(data.get(0).has(field)).as(field).isTrue());
        }
        assertThat(client.ok("/nfl/v1/season_stats?season=2013&player_ids[]=" + donald)
                        .get("data"))
                .isEmpty();

        long jjWatt = idOf("J.J. Watt");
        JsonNode houston = client.ok("/nfl/v1/season_stats?season=2020&player_ids[]=" + jjWatt)
                .get("data");
        JsonNode arizona = client.ok("/nfl/v1/season_stats?season=2021&player_ids[]=" + jjWatt)
                .get("data");
        assertThat(houston.get(0).get("player").get("team").get("abbreviation").asText())
                .isEqualTo("HOU");
        assertThat(arizona.get(0).get("player").get("team").get("abbreviation").asText())
                .isEqualTo("ARI");
        assertThat(client.ok("/nfl/v1/season_stats?season=2019&per_page=100").get("data"))
                .extracting(line -> line.get("player").get("last_name").asText())
                .containsExactly("Donald", "Watt", "Brady", "Kuechly");
    }

    @Test
    @DisplayName("without player ids every line of the season is served, paged")
    void everyLine() {
        assertThat(client.allPages("/nfl/v1/season_stats?season=2024&per_page=100"))
                .hasSize(32 * 53);
    }

    @Test
    @DisplayName("the season is required and ids must be numbers")
    void badInput() {
        assertThat(client.get("/nfl/v1/season_stats?player_ids[]=1").statusCode())
                .isEqualTo(400);
        assertThat(SimClient.error(client.get("/nfl/v1/season_stats?player_ids[]=1")))
                .isEqualTo("season is required");
        assertThat(client.get("/nfl/v1/season_stats?season=2024&player_ids[]=abc")
                        .statusCode())
                .isEqualTo(400);
    }
}
