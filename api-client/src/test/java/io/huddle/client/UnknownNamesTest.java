package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Player;
import io.huddle.sports.PlayerLookupException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Names the upstream does not know")
class UnknownNamesTest {
    private static final String TYPO = "Patrik Mahomez";

    @Test
    @DisplayName("with name search: an unknown name costs one search, then nothing until its negative ttl ends")
    void unknownNameWithSearch() {
        try (SimulatedStack stack = SimulatedStack.start(true)) {
            assertThatThrownBy(() -> stack.service.findPlayer(TYPO))
                    .isInstanceOf(PlayerLookupException.NotFound.class)
                    .hasMessageContaining(TYPO);
            assertThat(stack.calls()).isEqualTo(1);

            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> stack.service.findPlayer(TYPO.toUpperCase()))
                        .isInstanceOf(PlayerLookupException.NotFound.class);
            }
            stack.clock.advance(Duration.ofMinutes(9));
            assertThatThrownBy(() -> stack.service.findPlayer(TYPO)).isInstanceOf(PlayerLookupException.NotFound.class);
            assertThat(stack.calls()).isEqualTo(1);

            stack.clock.advance(Duration.ofMinutes(2)); // the negative ttl is 10 minutes
            assertThatThrownBy(() -> stack.service.findPlayer(TYPO)).isInstanceOf(PlayerLookupException.NotFound.class);
            assertThat(stack.calls()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName(
            "without name search: an unknown name costs one roster scan, then nothing; a later re-check reads the cached rosters")
    void unknownNameWithoutSearch() {
        try (SimulatedStack stack = SimulatedStack.start(false)) {
            assertThatThrownBy(() -> stack.service.findPlayer(TYPO))
                    .isInstanceOf(PlayerLookupException.NotFound.class)
                    .hasMessage("no player named '" + TYPO + "' is on an active 2024 roster");
            assertThat(stack.calls()).isEqualTo(33); // the team list and 32 rosters

            assertThatThrownBy(() -> stack.service.findPlayer(TYPO)).isInstanceOf(PlayerLookupException.NotFound.class);
            stack.clock.advance(Duration.ofMinutes(11));
            assertThatThrownBy(() -> stack.service.findPlayer(TYPO)).isInstanceOf(PlayerLookupException.NotFound.class);
            assertThat(stack.calls()).isEqualTo(33);
        }
    }

    @Test
    @DisplayName(
            "Aaron Donald, retired, is found by name search, on no team; a roster scan knows only the season's rosters")
    void retiredPlayer() {
        try (SimulatedStack searching = SimulatedStack.start(true)) {
            Player donald = searching.service.findPlayer("Aaron Donald");
            assertThat(donald.team()).isEmpty();
            assertThat(donald.position()).isEqualTo("DT");
        }
        try (SimulatedStack scanning = SimulatedStack.start(false)) {
            assertThatThrownBy(() -> scanning.service.findPlayer("Aaron Donald"))
                    .isInstanceOf(PlayerLookupException.NotFound.class)
                    .hasMessage("no player named 'Aaron Donald' is on an active 2024 roster");
        }
    }

    @Test
    @DisplayName("names that cannot be a player's are refused before any upstream call")
    void invalidNames() {
        try (SimulatedStack stack = SimulatedStack.start(true)) {
            for (String bad : new String[] {
                "",
                "   ",
                "x".repeat(500),
                "Josh\u0000Allen",
                "Josh\nAllen",
                "a",
                "Josh A",
                "${jndi:ldap://x/a}",
                "\uFDFA".repeat(64)
            }) {
                assertThatThrownBy(() -> stack.service.findPlayer(bad))
                        .isInstanceOf(PlayerLookupException.InvalidName.class);
            }
            assertThat(stack.calls()).isZero();
        }
    }

    @Test
    @DisplayName("T.J. Watt is found however his name is written")
    void initials() {
        try (SimulatedStack stack = SimulatedStack.start(true)) {
            assertThat(stack.service.findPlayer("T.J. Watt").teamId()).isEqualTo("PIT");
            assertThat(stack.service.findPlayer("tj watt").teamId()).isEqualTo("PIT");
            assertThat(stack.calls()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("two active players with one name: the answer says so and names both, it does not guess")
    void sharedName() {
        try (SimulatedStack stack = SimulatedStack.start(false)) {
            assertThatThrownBy(() -> stack.service.findPlayer(UpstreamSimulator.SHARED_NAME))
                    .isInstanceOfSatisfying(
                            PlayerLookupException.Ambiguous.class,
                            ambiguous -> assertThat(ambiguous.candidates())
                                    .extracting(Player::teamId)
                                    .containsExactlyInAnyOrder("NYG", "SEA"));
            assertThat(stack.service.findPlayers(UpstreamSimulator.SHARED_NAME)).hasSize(2);
        }
    }
}
