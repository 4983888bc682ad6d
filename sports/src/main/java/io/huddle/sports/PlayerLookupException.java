package io.huddle.sports;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A player name could not be turned into one player. The subclasses say why, in words a bot can show
 * its user as they are.
 */
public abstract class PlayerLookupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String name;

    protected PlayerLookupException(String name, String message) {
        super(message);
        this.name = name;
    }

    /** The name as asked (shortened if it was too long to repeat). */
    public String name() {
        return name;
    }

    /**
     * The name cannot be a player's: empty, too long (as asked or once normalised), holding control
     * characters, characters no name has or no letter, or ending in a one-letter word (see {@link
     * PlayerNames#normalise}). Checked before any upstream call.
     */
    public static final class InvalidName extends PlayerLookupException {
        private static final long serialVersionUID = 1L;

        public InvalidName(String name, String message) {
            super(name, message);
        }
    }

    /**
     * No player has the name or surname (it may be misspelt; without name search, only players on
     * the season's rosters are known, so a retired player is not found).
     */
    public static final class NotFound extends PlayerLookupException {
        private static final long serialVersionUID = 1L;

        public NotFound(String name, String message) {
            super(name, message);
        }
    }

    /**
     * More than one player, active or retired, has the name or surname ({@code Watt}); the bot
     * should ask which. The message lists them.
     */
    public static final class Ambiguous extends PlayerLookupException {
        private static final long serialVersionUID = 1L;

        private final List<Player> candidates;

        public Ambiguous(String name, List<Player> candidates) {
            super(
                    name,
                    candidates.size() + " players are named '" + name + "': "
                            + candidates.stream().map(Player::describe).collect(Collectors.joining(", ")));
            this.candidates = List.copyOf(candidates);
        }

        /** The players who share the name, in the provider's order. */
        public List<Player> candidates() {
            return candidates;
        }
    }
}
