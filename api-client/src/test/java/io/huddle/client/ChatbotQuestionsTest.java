package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.sim.UpstreamCalls;
import io.huddle.sports.Comparison;
import io.huddle.sports.Player;
import io.huddle.sports.PlayerLookupException;
import io.huddle.sports.PlayerStats;
import io.huddle.sports.Season;
import io.huddle.sports.SportsKinds;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What a chatbot's users type, answered over real HTTP and counted by the simulator. */
@DisplayName("A chatbot's questions")
class ChatbotQuestionsTest {

    @Nested
    @DisplayName("comparing a player with himself")
    class WithHimself {
        @Test
        @DisplayName("with name search: him on both sides, from one search and one stats request")
        void withSearch() {
            try (SimulatedStack stack = SimulatedStack.start(true)) {
                Comparison comparison = stack.service.compare("Patrick Mahomes", "patrick mahomes");

                assertThat(comparison.first()).isEqualTo(comparison.second());
                assertThat(comparison.first().fullName()).isEqualTo("Patrick Mahomes");
                assertThat(comparison.firstStats()).isPresent().isEqualTo(comparison.secondStats());
                assertThat(stack.sim.calls().route(UpstreamCalls.PLAYERS)).isEqualTo(1);
                assertThat(stack.sim.calls().route(UpstreamCalls.SEASON_STATS)).isEqualTo(1);
                assertThat(stack.calls()).isEqualTo(2);
            }
        }

        @Test
        @DisplayName("by roster scan and one stats request per player: still one stats request")
        void withoutSearchOrBatch() {
            try (SimulatedStack stack = SimulatedStack.start(false, sim -> sim, client -> client.batchStats(false))) {
                Comparison comparison = stack.service.compare("Micah Parsons", "MICAH PARSONS");

                assertThat(comparison.second()).isEqualTo(comparison.first());
                assertThat(stack.sim.calls().route(UpstreamCalls.SEASON_STATS)).isEqualTo(1);
            }
        }
    }

    @Nested
    @DisplayName("a surname alone")
    class Surname {
        @Test
        @DisplayName("with name search: Mahomes is the one Mahomes, and Watt is T.J. or the retired J.J., asked back")
        void withSearch() {
            try (SimulatedStack stack = SimulatedStack.start(true)) {
                assertThat(stack.service.findPlayer("Mahomes").fullName()).isEqualTo("Patrick Mahomes");
                assertThatThrownBy(() -> stack.service.findPlayer("Watt"))
                        .isInstanceOfSatisfying(
                                PlayerLookupException.Ambiguous.class,
                                ambiguous -> assertThat(ambiguous.candidates())
                                        .extracting(Player::describe)
                                        .containsExactly("T.J. Watt (LB, PIT)", "J.J. Watt (DE, no team)"))
                        .hasMessage("2 players are named 'Watt': T.J. Watt (LB, PIT), J.J. Watt (DE, no team)");
                assertThat(stack.service.findPlayer("T.J. Watt").teamId()).isEqualTo("PIT");

                assertThat(stack.calls())
                        .as("one search for mahomes, one for watt")
                        .isEqualTo(2);
            }
        }

        @Test
        @DisplayName("by roster scan: surnames are indexed with the full names, so they cost nothing more")
        void withoutSearch() {
            try (SimulatedStack stack = SimulatedStack.start(false)) {
                assertThat(stack.service.findPlayer("Mahomes").fullName()).isEqualTo("Patrick Mahomes");
                assertThat(stack.service.findPlayer("watt").fullName()).isEqualTo("T.J. Watt");
                assertThatThrownBy(() -> stack.service.findPlayer("Hale"))
                        .isInstanceOfSatisfying(
                                PlayerLookupException.Ambiguous.class,
                                ambiguous -> assertThat(ambiguous.candidates())
                                        .extracting(Player::teamId)
                                        .containsExactlyInAnyOrder("NYG", "SEA"));

                assertThat(stack.calls()).isEqualTo(33);
            }
        }
    }

    @Nested
    @DisplayName("searches the provider could not answer in a page")
    class ShortTerms {
        @Test
        @DisplayName("a one-letter last word, or text no name holds, is refused without any upstream call")
        void oneLetter() {
            try (SimulatedStack stack = SimulatedStack.start(true)) {
                for (String bad : List.of("a", "Tom B", "${jndi:ldap://x/a}", "${jndi:ldap://x/b}")) {
                    for (int again = 0; again < 3; again++) {
                        assertThatThrownBy(() -> stack.service.findPlayer(bad))
                                .as(bad)
                                .isInstanceOf(PlayerLookupException.InvalidName.class);
                    }
                }
                assertThat(stack.calls()).isZero();
            }
        }

        @Test
        @DisplayName(
                "a common two-letter term reads at most three pages, counted as three calls, and every name ending in it shares them")
        void commonTerm() {
            try (SimulatedStack stack = SimulatedStack.start(true)) {
                for (String name : List.of("an", "Bob An", "Jim An", "AN")) {
                    assertThatThrownBy(() -> stack.service.findPlayer(name))
                            .as(name)
                            .isInstanceOf(PlayerLookupException.NotFound.class);
                }

                assertThat(stack.sim.calls().route(UpstreamCalls.PLAYERS)).isEqualTo(3);
                assertThat(stack.cache.stats().upstreamCalls())
                        .as("the engine counts the pages the search really read")
                        .isEqualTo(stack.calls())
                        .isEqualTo(3);
                assertThat(stack.cache.stats(SportsKinds.PLAYER_SEARCH).upstreamCalls())
                        .isEqualTo(3);
            }
        }

        @Test
        @DisplayName(
                "a term nobody has costs one call, then none until the negative ttl ends, for any name ending in it")
        void unknownTerm() {
            try (SimulatedStack stack = SimulatedStack.start(true)) {
                for (String name : List.of("Zq", "Bob Zq", "zq", "Tom Zq")) {
                    assertThatThrownBy(() -> stack.service.findPlayer(name))
                            .isInstanceOf(PlayerLookupException.NotFound.class);
                }
                assertThat(stack.calls()).isEqualTo(1);

                stack.clock.advance(Duration.ofMinutes(11));
                assertThatThrownBy(() -> stack.service.findPlayer("Zq"))
                        .isInstanceOf(PlayerLookupException.NotFound.class);
                assertThat(stack.calls()).isEqualTo(2);
            }
        }
    }

    @Nested
    @DisplayName("a retired player")
    class Retired {
        @Test
        @DisplayName("Aaron Donald's past seasons are answered, his current one is empty")
        void pastSeasons() {
            try (SimulatedStack stack = SimulatedStack.start(true)) {
                PlayerStats last = stack.service
                        .seasonStats("Aaron Donald", Season.of(2023))
                        .orElseThrow();
                assertThat(last.season()).isEqualTo(Season.of(2023));
                assertThat(last.defenceStats()).isPresent();
                assertThat(stack.service.seasonStats("Aaron Donald")).isEmpty();
                assertThat(stack.service.seasonStats("Aaron Donald", Season.of(2013)))
                        .isEmpty();
            }
        }

        @Test
        @DisplayName("two retired players compare for a season both played, in one batch of stats")
        void comparison() {
            try (SimulatedStack stack = SimulatedStack.start(true)) {
                Comparison comparison = stack.service.compare("J.J. Watt", "Aaron Donald", Season.of(2018));

                assertThat(comparison.firstStats()).isPresent();
                assertThat(comparison.secondStats()).isPresent();
                assertThat(stack.sim.calls().route(UpstreamCalls.SEASON_STATS)).isEqualTo(1);
            }
        }
    }

    @Nested
    @DisplayName("a provider record with an odd name")
    class OddProviderRecords {
        private static final String LONG_FIRST_NAME = "Maximilian".repeat(7);
        private static final String BELL = "Dan\u0007ny";

        private SimulatedStack start(boolean nameSearch) {
            return SimulatedStack.start(
                    nameSearch,
                    sim -> sim.extraPlayer(LONG_FIRST_NAME, "Ward", "PIT").extraPlayer(BELL, "Kohl", "PIT"),
                    client -> client);
        }

        @Test
        @DisplayName("by roster scan: the roster it is on still indexes everyone, and it is kept there")
        void scan() {
            try (SimulatedStack stack = start(false)) {
                assertThat(stack.service.findPlayer("T.J. Watt").teamId()).isEqualTo("PIT");
                assertThat(stack.service.findPlayer("Kohl").firstName()).isEqualTo(BELL);
                assertThat(stack.service
                                .roster("PIT", SimulatedStack.SEASON)
                                .orElseThrow()
                                .players())
                        .extracting(Player::firstName)
                        .contains(LONG_FIRST_NAME, BELL);
                assertThat(stack.calls()).isEqualTo(33);
            }
        }

        @Test
        @DisplayName("with name search: a search that meets it still answers, and the record is among the candidates")
        void search() {
            try (SimulatedStack stack = start(true)) {
                Player someWard = stack.client.searchPlayers("ward").stream()
                        .filter(player -> player.lastName().equals("Ward")
                                && !player.firstName().equals(LONG_FIRST_NAME))
                        .findFirst()
                        .orElseThrow();
                stack.sim.resetCounters();

                assertThat(stack.service.findPlayers(someWard.fullName())).contains(someWard);
                assertThat(stack.service.findPlayers("Ward"))
                        .extracting(Player::firstName)
                        .contains(LONG_FIRST_NAME, someWard.firstName());
                assertThat(stack.service.findPlayer("Kohl").firstName()).isEqualTo(BELL);
                assertThat(stack.calls()).as("a search for ward, one for kohl").isEqualTo(2);
            }
        }
    }
}
