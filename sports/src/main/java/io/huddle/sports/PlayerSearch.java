package io.huddle.sports;

import java.util.List;

/**
 * What one name search of the provider found, and what it took; cached under {@link
 * SportsKinds#PLAYER_SEARCH} by its search term.
 *
 * @param players the players whose names match the term, active or not, in the provider's order
 * @param requests the upstream requests the search made (one per page of the answer read), at least 1
 */
public record PlayerSearch(List<Player> players, int requests) {
    public PlayerSearch {
        players = List.copyOf(players);
        if (requests < 1) {
            throw new IllegalArgumentException("a search makes at least one request, was " + requests);
        }
    }
}
