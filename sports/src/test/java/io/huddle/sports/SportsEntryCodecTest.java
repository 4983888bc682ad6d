package io.huddle.sports;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.spi.CacheEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sports value survives the trip through the codec that the Redis and Ehcache tiers use. */
class SportsEntryCodecTest {
    private static final Instant T0 = Instant.parse("2024-11-20T18:00:00Z");
    private static final Player MAHOMES = new Player("15", "Patrick", "Mahomes", "QB", "KC");
    private static final Player DONALD = new Player("99", "Aaron", "Donald", "DT", null);

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of(
                        SportsKinds.TEAMS,
                        "NFL",
                        new TeamList(List.of(new Team("KC", "Kansas City", "Chiefs", "AFC", "WEST")))),
                Arguments.of(SportsKinds.ROSTER, "KC:2024", new Roster("KC", Season.of(2024), List.of(MAHOMES))),
                Arguments.of(SportsKinds.PLAYER_ID, "aaron donald", new PlayerMatches(List.of(DONALD))),
                Arguments.of(SportsKinds.PLAYER_SEARCH, "donald", new PlayerSearch(List.of(DONALD, MAHOMES), 2)),
                Arguments.of(
                        SportsKinds.PLAYER_STATS,
                        "15:2024",
                        new PlayerStats(
                                "15",
                                Season.of(2024),
                                17,
                                new PlayerStats.Passing(392, 581, 3928, 26, 11, 93.5),
                                new PlayerStats.Rushing(58, 307, null),
                                null,
                                null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    <V> void roundTrips(DataKind<V> kind, String id, V value) {
        EntryCodec codec = EntryCodec.json();
        CacheKey key = new CacheKey(kind, id);
        CacheEntry<V> entry = CacheEntry.found(value, T0, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofDays(1)), 2);

        assertThat(codec.decode(key, codec.encode(key, entry))).contains(entry);
    }
}
