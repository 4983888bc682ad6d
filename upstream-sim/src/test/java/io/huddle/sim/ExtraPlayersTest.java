package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Extra players a test adds are served with exactly the names given")
class ExtraPlayersTest {
    private static final String LONG_FIRST_NAME = "Maximilian".repeat(8);
    private static final String BELL_NAME = "Dan\u0007ny";

    @Test
    @DisplayName("an overlong and a control-character name are on their rosters, in searches and with stats")
    void served() {
        try (UpstreamSimulator simulator = UpstreamSimulator.builder()
                .extraPlayer(LONG_FIRST_NAME, "Ward", "PIT")
                .extraPlayer(BELL_NAME, "Kohl", null)
                .build()
                .start()) {
            SimClient client = new SimClient(simulator);

            List<JsonNode> steelers = new ArrayList<>();
            client.ok("/nfl/v1/teams/8/roster?season=2024").get("data").forEach(steelers::add);
            assertThat(steelers).hasSize(54);
            JsonNode ward = steelers.get(53);
            assertThat(ward.get("first_name").asText()).isEqualTo(LONG_FIRST_NAME);
            assertThat(ward.get("id").asLong()).isEqualTo(10_001);

            JsonNode kohl = client.ok("/nfl/v1/players?search=kohl").get("data").get(0);
            assertThat(kohl.get("first_name").asText()).isEqualTo(BELL_NAME);
            assertThat(kohl.get("team").isNull()).isTrue();
            assertThat(client.ok("/nfl/v1/season_stats?season=2024&player_ids[]=10001")
                            .get("data"))
                    .hasSize(1);
        }
    }

    @Test
    @DisplayName("a team that does not exist is refused when the simulator is built")
    void unknownTeam() {
        assertThatThrownBy(() -> UpstreamSimulator.builder().extraPlayer("A", "B", "XYZ"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no team 'XYZ'");
    }
}
