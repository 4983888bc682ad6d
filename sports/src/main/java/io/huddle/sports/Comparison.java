package io.huddle.sports;

import java.util.Objects;
import java.util.Optional;

/**
 * Two players side by side for one season. A player without statistics for the season (injured all
 * year, say, or retired before it) has an empty side. A player compared with himself is on both
 * sides, with the same statistics.
 *
 * @param season the season compared
 * @param first the first player asked for
 * @param firstStats his statistics, if the provider has any for the season
 * @param second the second player asked for
 * @param secondStats his statistics, if the provider has any for the season
 */
public record Comparison(
        Season season,
        Player first,
        Optional<PlayerStats> firstStats,
        Player second,
        Optional<PlayerStats> secondStats) {
    public Comparison {
        Objects.requireNonNull(season, "season");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(firstStats, "firstStats");
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(secondStats, "secondStats");
    }
}
