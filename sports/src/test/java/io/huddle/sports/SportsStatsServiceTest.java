package io.huddle.sports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.SharedCache;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The sports service")
class SportsStatsServiceTest {
    private final ManualClock clock = new ManualClock();
    private final SharedCache cache = SharedCache.builder(new InMemoryCachePort(clock))
            .clock(clock)
            .loadExecutor(Runnable::run)
            .build();

    @AfterEach
    void close() {
        cache.close();
    }

    private SportsStatsService service(SmallLeague league) {
        return new SportsStatsService(cache, league, SmallLeague.SEASON);
    }

    @Test
    @DisplayName("a comparison with batch stats costs one stats call, and a repeat costs nothing")
    void compareBatch() {
        SmallLeague league = new SmallLeague(
                EnumSet.of(SportsDataPort.Capability.NAME_SEARCH, SportsDataPort.Capability.BATCH_STATS));
        SportsStatsService service = service(league);

        Comparison comparison = service.compare("Patrick Mahomes", "T.J. Watt");

        assertThat(comparison.first()).isEqualTo(SmallLeague.MAHOMES);
        assertThat(comparison.firstStats().orElseThrow().passing().yards()).isEqualTo(4001);
        assertThat(comparison.secondStats().orElseThrow().playerId()).isEqualTo("2");
        assertThat(league.calls("search")).isEqualTo(2);
        assertThat(league.calls("stats")).isEqualTo(1);

        service.compare("patrick mahomes", "TJ Watt");
        assertThat(league.totalCalls()).isEqualTo(3);
    }

    @Test
    @DisplayName("without batch stats each player's stats cost one call")
    void compareSingly() {
        SmallLeague league = new SmallLeague(Set.of());
        SportsStatsService service = service(league);

        service.compare("Patrick Mahomes", "T.J. Watt");

        assertThat(league.calls("stats")).isEqualTo(2);
        assertThat(league.totalCalls()).isEqualTo(1 + 3 + 2);
    }

    @Test
    @DisplayName("after the stats expire, only the stats are asked for again")
    void statsExpire() {
        SmallLeague league = new SmallLeague(Set.of());
        SportsStatsService service = service(league);
        service.compare("Patrick Mahomes", "T.J. Watt");
        int before = league.totalCalls();

        clock.advance(Duration.ofHours(2));
        service.compare("Patrick Mahomes", "T.J. Watt");

        assertThat(league.totalCalls() - before).isEqualTo(2);
    }

    @Test
    @DisplayName("a player compared with himself, under two spellings, is on both sides from one stats load")
    void compareWithHimself() {
        for (Set<SportsDataPort.Capability> capabilities : List.of(
                EnumSet.of(SportsDataPort.Capability.NAME_SEARCH, SportsDataPort.Capability.BATCH_STATS),
                EnumSet.of(SportsDataPort.Capability.NAME_SEARCH),
                Set.<SportsDataPort.Capability>of())) {
            cache.invalidateAll(SportsKinds.PLAYER_STATS);
            SmallLeague league = new SmallLeague(capabilities);

            Comparison comparison = service(league).compare("Patrick Mahomes", "patrick mahomes");

            assertThat(comparison.first()).as("%s", capabilities).isEqualTo(SmallLeague.MAHOMES);
            assertThat(comparison.second()).isEqualTo(SmallLeague.MAHOMES);
            assertThat(comparison.firstStats()).isPresent().isEqualTo(comparison.secondStats());
            assertThat(league.calls("stats")).as("%s", capabilities).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a surname compares too: Mahomes against Patrick Mahomes is him against himself")
    void compareBySurname() {
        SmallLeague league = new SmallLeague(
                EnumSet.of(SportsDataPort.Capability.NAME_SEARCH, SportsDataPort.Capability.BATCH_STATS));

        Comparison comparison = service(league).compare("Mahomes", "Patrick Mahomes");

        assertThat(comparison.second()).isEqualTo(comparison.first()).isEqualTo(SmallLeague.MAHOMES);
        assertThat(league.calls("search")).isEqualTo(1);
        assertThat(league.calls("stats")).isEqualTo(1);
    }

    @Test
    @DisplayName("a retired player's past season is answered, and his current one is empty")
    void retiredPlayer() {
        SmallLeague league = new SmallLeague(
                EnumSet.of(SportsDataPort.Capability.NAME_SEARCH, SportsDataPort.Capability.BATCH_STATS));
        SportsStatsService service = service(league);

        assertThat(service.seasonStats("Aaron Donald", Season.of(2023)))
                .hasValueSatisfying(line -> assertThat(line.playerId()).isEqualTo(SmallLeague.DONALD.id()));
        assertThat(service.seasonStats("Aaron Donald")).isEmpty();
        Comparison past = service.compare("J.J. Watt", "Aaron Donald", Season.of(2022));
        assertThat(past.firstStats()).isPresent();
        assertThat(past.secondStats()).isEmpty();
    }

    @Test
    @DisplayName("a player without stats for the season has an empty side")
    void noStats() {
        SmallLeague league = new SmallLeague(Set.of());
        assertThat(service(league).seasonStats("Patrick Mahomes")).isPresent();
        assertThat(service(league).seasonStats("Patrick Mahomes", Season.of(2024)))
                .isPresent();
    }

    @Test
    @DisplayName("teams and rosters come through the cache; a bad team id is rejected before any call")
    void teamsAndRosters() {
        SmallLeague league = new SmallLeague(Set.of());
        SportsStatsService service = service(league);

        assertThat(service.teams()).hasSize(3);
        assertThat(service.teams()).hasSize(3);
        assertThat(service.roster("kc", SmallLeague.SEASON).orElseThrow().players())
                .contains(SmallLeague.MAHOMES);
        assertThat(service.roster("XYZ", SmallLeague.SEASON)).isEmpty();
        assertThatThrownBy(() -> service.roster("K C!", SmallLeague.SEASON))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a team id is 2 or 3 letters such as KC, was 'K C!'");
        assertThat(league.calls("teams")).isEqualTo(1);
        assertThat(league.calls("roster")).isEqualTo(2);
    }

    @Test
    @DisplayName("seasons are validated")
    void seasons() {
        assertThatThrownBy(() -> Season.of(1800)).hasMessage("season must be a year from 1920 to 2100, was 1800");
    }
}
