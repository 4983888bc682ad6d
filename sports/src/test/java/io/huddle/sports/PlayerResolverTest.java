package io.huddle.sports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.SharedCache;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Resolving player names")
class PlayerResolverTest {
    private final ManualClock clock = new ManualClock();
    private final SharedCache cache =
            SharedCache.builder(new InMemoryCachePort(clock)).clock(clock).build();

    @AfterEach
    void close() {
        cache.close();
    }

    @Nested
    @DisplayName("with a provider that searches by name")
    class WithSearch {
        private final SmallLeague league = new SmallLeague(EnumSet.of(SportsDataPort.Capability.NAME_SEARCH));
        private final PlayerResolver resolver = new PlayerResolver(cache, league, SmallLeague.SEASON);

        @Test
        @DisplayName("one search finds the player, and every spelling of the name then costs nothing")
        void oneSearch() {
            assertThat(resolver.resolve("T.J. Watt")).isEqualTo(SmallLeague.WATT);
            assertThat(resolver.resolve("tj watt")).isEqualTo(SmallLeague.WATT);
            assertThat(resolver.resolve("TJ  Watt")).isEqualTo(SmallLeague.WATT);

            assertThat(league.totalCalls()).isEqualTo(1);
        }

        @Test
        @DisplayName("a retired player the provider still lists is found, on no team")
        void retired() {
            assertThat(resolver.resolve("Aaron Donald")).isEqualTo(SmallLeague.DONALD);
            assertThat(resolver.resolve("Aaron Donald").team()).isEmpty();
        }

        @Test
        @DisplayName("a surname alone finds its one player")
        void surname() {
            assertThat(resolver.resolve("Mahomes")).isEqualTo(SmallLeague.MAHOMES);
            assertThat(resolver.resolve("chase")).isEqualTo(SmallLeague.CHASE);
        }

        @Test
        @DisplayName("a surname several players have is ambiguous, and the answer lists them, retired ones included")
        void ambiguousSurname() {
            assertThatThrownBy(() -> resolver.resolve("Watt"))
                    .isInstanceOfSatisfying(
                            PlayerLookupException.Ambiguous.class,
                            e -> assertThat(e.candidates()).containsExactly(SmallLeague.WATT, SmallLeague.JJ_WATT))
                    .hasMessage("2 players are named 'Watt': T.J. Watt (LB, PIT), J.J. Watt (DE, no team)");
            assertThat(resolver.candidates("WATT")).containsExactly(SmallLeague.WATT, SmallLeague.JJ_WATT);
            assertThat(resolver.resolve("T.J. Watt")).isEqualTo(SmallLeague.WATT);
        }

        @Test
        @DisplayName("names ending in the same word share one search of the provider, cached by that word")
        void oneSearchPerTerm() {
            assertThatThrownBy(() -> resolver.resolve("Josh Allen"))
                    .isInstanceOf(PlayerLookupException.Ambiguous.class);
            assertThatThrownBy(() -> resolver.resolve("Allen")).isInstanceOf(PlayerLookupException.Ambiguous.class);
            assertThatThrownBy(() -> resolver.resolve("Bob Allen")).isInstanceOf(PlayerLookupException.NotFound.class);
            assertThatThrownBy(() -> resolver.resolve("Jim Allen")).isInstanceOf(PlayerLookupException.NotFound.class);

            assertThat(league.calls("search")).isEqualTo(1);
        }

        @Test
        @DisplayName("a name whose last word is one letter, or that cannot be a name, is refused without a search")
        void tooShortToSearch() {
            for (String bad : List.of("a", "Josh A", "T.J. W.", "${jndi:ldap://x/a}", "<script>Allen")) {
                assertThatThrownBy(() -> resolver.resolve(bad))
                        .as(bad)
                        .isInstanceOf(PlayerLookupException.InvalidName.class);
            }
            assertThat(league.totalCalls()).isZero();
        }

        @Test
        @DisplayName("a name that grows past the limit once normalised is refused as an invalid name, without a search")
        void growsWhenNormalised() {
            for (String ligatures : List.of("\uFDFA".repeat(64), "\uFB03".repeat(64), "Josh " + "\uFB03".repeat(30))) {
                assertThat(ligatures).hasSizeLessThanOrEqualTo(PlayerNames.MAX_LENGTH);
                assertThatThrownBy(() -> resolver.resolve(ligatures))
                        .isInstanceOf(PlayerLookupException.InvalidName.class)
                        .hasMessageContaining("once normalised");
            }
            assertThat(league.totalCalls()).isZero();
        }

        @Test
        @DisplayName("two active players with one name are reported, not guessed")
        void ambiguous() {
            assertThatThrownBy(() -> resolver.resolve("Josh Allen"))
                    .isInstanceOfSatisfying(
                            PlayerLookupException.Ambiguous.class,
                            e -> assertThat(e.candidates())
                                    .containsExactlyInAnyOrder(SmallLeague.ALLEN_BUF, SmallLeague.ALLEN_KC))
                    .hasMessageContaining("Josh Allen (QB, BUF)")
                    .hasMessageContaining("Josh Allen (WR, KC)");
        }

        @Test
        @DisplayName("an unknown name costs one search, then nothing until the negative ttl ends")
        void unknownCachedNegatively() {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> resolver.resolve("Tom Bardy"))
                        .isInstanceOf(PlayerLookupException.NotFound.class)
                        .hasMessage("no player named 'Tom Bardy' is known to the provider");
            }
            assertThat(league.totalCalls()).isEqualTo(1);

            clock.advance(SportsPolicies.PLAYER_ID.negativeTtl().plusSeconds(1));
            assertThatThrownBy(() -> resolver.resolve("Tom Bardy")).isInstanceOf(PlayerLookupException.NotFound.class);
            assertThat(league.totalCalls()).isEqualTo(2);
        }

        @Test
        @DisplayName("a bad name is rejected before any upstream call")
        void badName() {
            assertThatThrownBy(() -> resolver.resolve("   ")).isInstanceOf(PlayerLookupException.InvalidName.class);
            assertThatThrownBy(() -> resolver.resolve("a".repeat(1000)))
                    .isInstanceOf(PlayerLookupException.InvalidName.class);
            assertThat(league.totalCalls()).isZero();
        }
    }

    @Nested
    @DisplayName("with a provider whose search answers in pages")
    class PagedSearch {
        private final SmallLeague league =
                new SmallLeague(EnumSet.of(SportsDataPort.Capability.NAME_SEARCH), 1, List.of());
        private final PlayerResolver resolver = new PlayerResolver(cache, league, SmallLeague.SEASON);

        @Test
        @DisplayName(
                "the statistics count every request the search made, and a later name ending in the word saves them")
        void searchAccounting() {
            assertThatThrownBy(() -> resolver.resolve("Allen")).isInstanceOf(PlayerLookupException.Ambiguous.class);
            assertThat(league.calls("search")).isEqualTo(2); // one page for each of the two Allens

            assertThat(cache.stats().upstreamCalls())
                    .isEqualTo(league.totalCalls())
                    .isEqualTo(2);
            assertThat(cache.stats(SportsKinds.PLAYER_SEARCH).upstreamCalls()).isEqualTo(2);

            assertThatThrownBy(() -> resolver.resolve("Josh Allen"))
                    .isInstanceOf(PlayerLookupException.Ambiguous.class);
            assertThat(league.totalCalls()).isEqualTo(2);
            assertThat(cache.stats(SportsKinds.PLAYER_SEARCH).upstreamCallsSaved())
                    .isEqualTo(2);
        }
    }

    @Nested
    @DisplayName("with odd names in the provider's data")
    class OddProviderNames {
        private final Player longName = new Player("90", "X".repeat(70), "Ward", "WR", "PIT");
        private final Player controlCharacter = new Player("91", "Dan\u0007ny", "Ko\nhl", "K", "KC");
        private final List<Player> odd = List.of(longName, controlCharacter);

        @Test
        @DisplayName("with search: a search that meets them still answers, and they are kept")
        void search() {
            SmallLeague league = new SmallLeague(EnumSet.of(SportsDataPort.Capability.NAME_SEARCH), 100, odd);
            PlayerResolver resolver = new PlayerResolver(cache, league, SmallLeague.SEASON);

            assertThat(resolver.resolve("Ward")).isEqualTo(longName);
            assertThat(resolver.resolve("Dan Ny Ko Hl")).isEqualTo(controlCharacter);
            assertThatThrownBy(() -> resolver.resolve("Xxxx Ward")).isInstanceOf(PlayerLookupException.NotFound.class);
        }

        @Test
        @DisplayName("without search: the roster scan indexes everyone else, and keeps them in the rosters")
        void scan() {
            SmallLeague league = new SmallLeague(Set.of(), 100, odd);
            PlayerResolver resolver = new PlayerResolver(cache, league, SmallLeague.SEASON);

            assertThat(resolver.resolve("T.J. Watt")).isEqualTo(SmallLeague.WATT);
            assertThat(resolver.resolve("Patrick Mahomes")).isEqualTo(SmallLeague.MAHOMES);
            assertThat(resolver.resolve("Ward")).isEqualTo(longName);
            assertThat(resolver.roster("PIT").orElseThrow().players()).contains(longName);
            assertThat(league.totalCalls()).isEqualTo(4);
        }
    }

    @Nested
    @DisplayName("with a provider that cannot search")
    class WithoutSearch {
        private final SmallLeague league = new SmallLeague(Set.of());
        private final PlayerResolver resolver = new PlayerResolver(cache, league, SmallLeague.SEASON);

        @Test
        @DisplayName("one scan of the rosters indexes every player, so the next name costs nothing")
        void scanWarmsTheLeague() {
            assertThat(resolver.resolve("Patrick Mahomes")).isEqualTo(SmallLeague.MAHOMES);
            assertThat(league.calls("teams")).isEqualTo(1);
            assertThat(league.calls("roster")).isEqualTo(3);

            assertThat(resolver.resolve("Ja'Marr Chase")).isEqualTo(SmallLeague.CHASE);
            assertThat(resolver.resolve("T.J. Watt")).isEqualTo(SmallLeague.WATT);
            assertThat(league.totalCalls()).isEqualTo(4);
        }

        @Test
        @DisplayName("the statistics count the scan's calls once, and each later request for the name saves them")
        void scanAccounting() {
            resolver.resolve("Patrick Mahomes"); // the team list and 3 rosters: 4 calls
            resolver.resolve("Patrick Mahomes"); // saves the 4 calls of the scan
            resolver.resolve("Ja'Marr Chase"); // indexed by that scan for free: saves nothing

            assertThat(cache.stats().upstreamCalls())
                    .isEqualTo(league.totalCalls())
                    .isEqualTo(4);
            assertThat(cache.stats(SportsKinds.PLAYER_ID).upstreamCallsSaved()).isEqualTo(4);
        }

        @Test
        @DisplayName("an unknown name costs one scan, and a second unknown name only cached rosters")
        void unknown() {
            assertThatThrownBy(() -> resolver.resolve("Aaron Donald"))
                    .hasMessage("no player named 'Aaron Donald' is on an active 2024 roster");
            assertThatThrownBy(() -> resolver.resolve("Tom Bardy")).isInstanceOf(PlayerLookupException.NotFound.class);
            assertThatThrownBy(() -> resolver.resolve("Tom Bardy")).isInstanceOf(PlayerLookupException.NotFound.class);

            assertThat(league.totalCalls()).isEqualTo(4);
        }

        @Test
        @DisplayName("the scan indexes surnames too: one rostered Watt is found by surname, two Allens are ambiguous")
        void surnames() {
            assertThat(resolver.resolve("Watt")).isEqualTo(SmallLeague.WATT);
            assertThatThrownBy(() -> resolver.resolve("allen"))
                    .isInstanceOfSatisfying(
                            PlayerLookupException.Ambiguous.class,
                            e -> assertThat(e.candidates())
                                    .containsExactlyInAnyOrder(SmallLeague.ALLEN_BUF, SmallLeague.ALLEN_KC));
            assertThat(league.totalCalls()).isEqualTo(4);
        }

        @Test
        @DisplayName("ambiguity is found across rosters")
        void ambiguousAcrossRosters() {
            assertThatThrownBy(() -> resolver.resolve("josh allen"))
                    .isInstanceOfSatisfying(
                            PlayerLookupException.Ambiguous.class,
                            e -> assertThat(e.candidates()).hasSize(2));
        }

        @Test
        @DisplayName("100 users asking for the same name at once share one scan")
        void concurrentUsersShareOneScan() throws Exception {
            ExecutorService users = Executors.newFixedThreadPool(100);
            try {
                List<Future<Player>> answers = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    answers.add(users.submit(() -> resolver.resolve("Patrick Mahomes")));
                }
                for (Future<Player> answer : answers) {
                    assertThat(answer.get()).isEqualTo(SmallLeague.MAHOMES);
                }
            } finally {
                users.shutdownNow();
            }
            assertThat(league.totalCalls()).isEqualTo(4);
        }

        @Test
        @DisplayName("once the rosters expire, the next unknown name scans again")
        void rostersExpire() {
            resolver.resolve("Patrick Mahomes");
            clock.advance(SportsPolicies.ROSTER
                    .ttl()
                    .plus(SportsPolicies.ROSTER.staleWindow())
                    .plus(Duration.ofMinutes(1)));

            assertThatThrownBy(() -> resolver.resolve("Nobody Atall"))
                    .isInstanceOf(PlayerLookupException.NotFound.class);

            assertThat(league.calls("roster")).isEqualTo(6);
        }
    }
}
