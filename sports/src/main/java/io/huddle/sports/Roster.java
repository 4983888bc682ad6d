package io.huddle.sports;

import java.util.List;
import java.util.Objects;

/**
 * The players on one team in one season.
 *
 * @param teamId the team's abbreviation
 * @param season the season
 * @param players the players, in the provider's order
 */
public record Roster(String teamId, Season season, List<Player> players) {
    public Roster {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(season, "season");
        players = List.copyOf(players);
    }
}
