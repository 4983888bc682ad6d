package io.huddle.sports;

import java.util.List;

/**
 * Every team of a league, as cached under {@link SportsKinds#TEAMS}.
 *
 * @param teams the teams, in the provider's order
 */
public record TeamList(List<Team> teams) {
    public TeamList {
        teams = List.copyOf(teams);
    }
}
