package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The same seed always gives the same league")
class DeterminismTest {
    private static List<JsonNode> everything(long seed) {
        try (UpstreamSimulator simulator =
                UpstreamSimulator.builder().seed(seed).build().start()) {
            SimClient client = new SimClient(simulator);
            List<JsonNode> players = client.allPages("/nfl/v1/players?per_page=100");
            List<JsonNode> stats = client.allPages("/nfl/v1/season_stats?season=2024&per_page=100");
            return List.of(SimClient.JSON.valueToTree(players), SimClient.JSON.valueToTree(stats));
        }
    }

    @Test
    @DisplayName("two simulators with one seed serve identical players and stats")
    void sameSeed() {
        assertThat(everything(7L)).isEqualTo(everything(7L));
    }

    @Test
    @DisplayName("another seed gives other filler players and stats, with the same ids")
    void otherSeed() {
        List<JsonNode> seven = everything(7L);
        List<JsonNode> eight = everything(8L);

        assertThat(seven.get(0)).isNotEqualTo(eight.get(0));
        assertThat(seven.get(1)).isNotEqualTo(eight.get(1));
        assertThat(seven.get(0).findValuesAsText("id")).isEqualTo(eight.get(0).findValuesAsText("id"));
    }
}
