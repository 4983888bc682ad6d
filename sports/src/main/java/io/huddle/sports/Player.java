package io.huddle.sports;

import java.util.Objects;
import java.util.Optional;

/**
 * A player, as one provider knows him.
 *
 * @param id the provider's id for the player; ids of different providers are not comparable
 * @param firstName as the provider spells it ({@code T.J.})
 * @param lastName as the provider spells it
 * @param position the position's abbreviation ({@code QB}, {@code LB})
 * @param teamId the abbreviation of his current team, or null when he is on no team (retired, free
 *     agent); see {@link #team()}
 */
public record Player(String id, String firstName, String lastName, String position, String teamId) {
    public Player {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(firstName, "firstName");
        Objects.requireNonNull(lastName, "lastName");
        Objects.requireNonNull(position, "position");
    }

    /** {@code T.J. Watt}. */
    public String fullName() {
        return firstName + " " + lastName;
    }

    /** His current team's abbreviation, or empty when he is on no team. */
    public Optional<String> team() {
        return Optional.ofNullable(teamId);
    }

    /** {@code T.J. Watt (LB, PIT)}: enough to tell two players of the same name apart. */
    public String describe() {
        return fullName() + " (" + position + ", " + (teamId == null ? "no team" : teamId) + ")";
    }
}
