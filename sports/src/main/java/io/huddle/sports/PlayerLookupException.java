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

    /** The name is empty, too long, holds control characters or no letter. Checked before any call. */
    public static final class InvalidName extends PlayerLookupException {
        private static final long serialVersionUID = 1L;

        public InvalidName(String name, String message) {
            super(name, message);
        }
    }

    /** No active player has the name (he may be retired, or the name misspelt). */
    public static final class NotFound extends PlayerLookupException {
        private static final long serialVersionUID = 1L;

        public NotFound(String name, String message) {
            super(name, message);
        }
    }

    /** More than one active player has the name; the bot should ask which. */
    public static final class Ambiguous extends PlayerLookupException {
        private static final long serialVersionUID = 1L;

        private final List<Player> candidates;

        public Ambiguous(String name, List<Player> candidates) {
            super(
                    name,
                    candidates.size() + " active players are named '" + name + "': "
                            + candidates.stream().map(Player::describe).collect(Collectors.joining(", ")));
            this.candidates = List.copyOf(candidates);
        }

        /** The players who share the name. */
        public List<Player> candidates() {
            return candidates;
        }
    }
}
