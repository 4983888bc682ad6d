package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Reads the answers with copies of the api-client's wire records ({@code io.huddle.client.Wire}),
 * which this module cannot depend on, so that a misnamed field shows up here as a null.
 */
@DisplayName("Answers read as the api-client reads them")
class WireCompatibilityTest extends DefaultSimulatorTest {
    record TeamJson(
            Integer id,
            String conference,
            String division,
            String location,
            String name,
            String fullName,
            String abbreviation) {}

    record PlayerJson(
            Long id, String firstName, String lastName, String position, String positionAbbreviation, TeamJson team) {}

    record StatsJson(
            PlayerJson player,
            Integer season,
            Integer gamesPlayed,
            Integer passingCompletions,
            Integer passingAttempts,
            Integer passingYards,
            Integer passingTouchdowns,
            Integer passingInterceptions,
            Double qbRating,
            Integer rushingAttempts,
            Integer rushingYards,
            Integer rushingTouchdowns,
            Integer receptions,
            Integer receivingTargets,
            Integer receivingYards,
            Integer receivingTouchdowns,
            Integer totalTackles,
            Integer soloTackles,
            Double defensiveSacks,
            Integer defensiveInterceptions,
            Integer fumblesForced) {}

    record Meta(Integer nextCursor, Integer perPage) {}

    record Page<T>(List<T> data, Meta meta) {}

    private static final ObjectMapper WIRE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static <T> Page<T> page(String pathAndQuery, Class<T> element) throws Exception {
        JavaType type = WIRE.getTypeFactory().constructParametricType(Page.class, element);
        return WIRE.readValue(client.get(pathAndQuery).body(), type);
    }

    @Test
    @DisplayName("teams have every field the client reads")
    void teams() throws Exception {
        Page<TeamJson> teams = page("/nfl/v1/teams", TeamJson.class);

        assertThat(teams.data()).hasSize(32).allSatisfy(team -> assertThat(team).hasNoNullFieldsOrProperties());
    }

    @Test
    @DisplayName("players on a team have every field the client reads, and the cursor fits the client's Integer")
    void players() throws Exception {
        Page<PlayerJson> players = page("/nfl/v1/players?per_page=100&cursor=100", PlayerJson.class);

        assertThat(players.data())
                .hasSize(100)
                .allSatisfy(player -> assertThat(player).hasNoNullFieldsOrProperties());
        assertThat(players.meta().nextCursor()).isNotNull();
        assertThat(players.meta().perPage()).isEqualTo(100);
    }

    @Test
    @DisplayName("a quarterback's and a linebacker's lines fill exactly their groups")
    void stats() throws Exception {
        Page<StatsJson> lines = page("/nfl/v1/season_stats?season=2024&player_ids[]=1&player_ids[]=6", StatsJson.class);

        assertThat(lines.data()).hasSize(2);
        StatsJson mahomes = lines.data().get(0);
        assertThat(mahomes.player().lastName()).isEqualTo("Mahomes");
        assertThat(mahomes)
                .hasNoNullFieldsOrPropertiesExcept(
                        "receptions",
                        "receivingTargets",
                        "receivingYards",
                        "receivingTouchdowns",
                        "totalTackles",
                        "soloTackles",
                        "defensiveSacks",
                        "defensiveInterceptions",
                        "fumblesForced");
        StatsJson watt = lines.data().get(1);
        assertThat(watt.player().lastName()).isEqualTo("Watt");
        assertThat(watt.totalTackles()).isNotNull();
        assertThat(watt.soloTackles()).isNotNull();
        assertThat(watt.defensiveSacks()).isNotNull();
        assertThat(watt.defensiveInterceptions()).isNotNull();
        assertThat(watt.fumblesForced()).isNotNull();
        assertThat(watt.passingYards()).isNull();
        assertThat(watt.season()).isEqualTo(2024);
        assertThat(watt.gamesPlayed()).isNotNull();
    }
}
