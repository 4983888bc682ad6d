package io.huddle.sports;

import java.util.Objects;

/**
 * An NFL team. Its id is its abbreviation ({@code KC}), which every provider knows.
 *
 * @param id the abbreviation, upper-case
 * @param location the city or region ({@code Kansas City})
 * @param name the nickname ({@code Chiefs})
 * @param conference {@code AFC} or {@code NFC}
 * @param division {@code EAST}, {@code NORTH}, {@code SOUTH} or {@code WEST}
 */
public record Team(String id, String location, String name, String conference, String division) {
    public Team {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(conference, "conference");
        Objects.requireNonNull(division, "division");
    }

    /** The full name, {@code Kansas City Chiefs}. */
    public String fullName() {
        return location + " " + name;
    }
}
