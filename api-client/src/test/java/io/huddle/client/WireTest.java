package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.sim.UpstreamCalls;
import io.huddle.sports.Player;
import io.huddle.sports.PlayerSearch;
import io.huddle.sports.PlayerStats;
import io.huddle.sports.Team;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client reads the provider's JSON")
class WireTest {

    @Test
    @DisplayName("teams with every field")
    void teams() {
        try (SimulatedStack stack = SimulatedStack.start(true)) {
            List<Team> teams = stack.client.teams();

            assertThat(teams).hasSize(32).contains(new Team("BUF", "Buffalo", "Bills", "AFC", "EAST"));
        }
    }

    @Test
    @DisplayName("a search walks its pages by cursor, without a duplicate, and stops after three of 100")
    void pages() {
        try (SimulatedStack stack = SimulatedStack.start(true)) {
            PlayerSearch search = stack.client.search("an"); // matches about a third of the league
            List<Player> found = search.players();

            assertThat(found).hasSize(300);
            assertThat(found).extracting(Player::id).doesNotHaveDuplicates();
            assertThat(found)
                    .allSatisfy(player ->
                            assertThat(player.fullName().toLowerCase()).contains("an"));
            assertThat(search.requests()).isEqualTo(3);
            assertThat(stack.sim.calls().route(UpstreamCalls.PLAYERS)).isEqualTo(3);

            assertThat(stack.client.search("watt").requests()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("season stats fill the groups the provider sends, and leave the others absent")
    void statsGroups() {
        try (SimulatedStack stack = SimulatedStack.start(true)) {
            Player mahomes = stack.service.findPlayer("Patrick Mahomes");
            Player parsons = stack.service.findPlayer("Micah Parsons");

            Map<String, PlayerStats> stats =
                    stack.client.seasonStats(List.of(mahomes.id(), parsons.id()), SimulatedStack.SEASON);

            PlayerStats quarterback = stats.get(mahomes.id());
            assertThat(quarterback.passingStats())
                    .hasValueSatisfying(passing -> assertThat(passing.yards()).isPositive());
            assertThat(quarterback.defenceStats()).isEmpty();
            PlayerStats linebacker = stats.get(parsons.id());
            assertThat(linebacker.defenceStats()).isPresent();
            assertThat(linebacker.passingStats()).isEmpty();
        }
    }
}
