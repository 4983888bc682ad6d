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
        @DisplayName("a retired player is reported as not on an active roster")
        void retired() {
            assertThatThrownBy(() -> resolver.resolve("Aaron Donald"))
                    .isInstanceOf(PlayerLookupException.NotFound.class)
                    .hasMessage("'Aaron Donald' is not on an active roster");
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
                        .hasMessage("no player named 'Tom Bardy' is on an active 2024 roster");
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
