package io.huddle.sports;

import java.util.Objects;
import java.util.Optional;

/**
 * One player's statistics for one season. A group (passing, rushing, receiving, defence) that the
 * provider did not supply is absent, and so is a figure inside a group: absent means "not supplied",
 * never zero.
 *
 * @param playerId the provider's player id
 * @param season the season
 * @param gamesPlayed games played, or null if not supplied
 * @param passing passing figures, or null if not supplied
 * @param rushing rushing figures, or null if not supplied
 * @param receiving receiving figures, or null if not supplied
 * @param defence defensive figures, or null if not supplied
 */
public record PlayerStats(
        String playerId,
        Season season,
        Integer gamesPlayed,
        Passing passing,
        Rushing rushing,
        Receiving receiving,
        Defence defence) {
    public PlayerStats {
        Objects.requireNonNull(playerId, "playerId");
        Objects.requireNonNull(season, "season");
    }

    /** Passing figures, if supplied. */
    public Optional<Passing> passingStats() {
        return Optional.ofNullable(passing);
    }

    /** Rushing figures, if supplied. */
    public Optional<Rushing> rushingStats() {
        return Optional.ofNullable(rushing);
    }

    /** Receiving figures, if supplied. */
    public Optional<Receiving> receivingStats() {
        return Optional.ofNullable(receiving);
    }

    /** Defensive figures, if supplied. */
    public Optional<Defence> defenceStats() {
        return Optional.ofNullable(defence);
    }

    /** Passing; each figure null if not supplied. */
    public record Passing(
            Integer completions,
            Integer attempts,
            Integer yards,
            Integer touchdowns,
            Integer interceptions,
            Double rating) {}

    /** Rushing; each figure null if not supplied. */
    public record Rushing(Integer attempts, Integer yards, Integer touchdowns) {}

    /** Receiving; each figure null if not supplied. */
    public record Receiving(Integer receptions, Integer targets, Integer yards, Integer touchdowns) {}

    /** Defence; each figure null if not supplied. */
    public record Defence(
            Integer totalTackles, Integer soloTackles, Double sacks, Integer interceptions, Integer forcedFumbles) {}
}
