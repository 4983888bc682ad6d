package io.huddle.sports;

import java.util.List;

/**
 * The players, active or retired, whose full name or surname matches one normalised name, as cached
 * under {@link SportsKinds#PLAYER_ID}. More than one means the name is ambiguous.
 *
 * @param players the players, never empty
 */
public record PlayerMatches(List<Player> players) {
    public PlayerMatches {
        players = List.copyOf(players);
        if (players.isEmpty()) {
            throw new IllegalArgumentException("a match holds at least one player; cache not-found instead");
        }
    }
}
