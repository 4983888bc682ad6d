package io.huddle.sports;

/**
 * An NFL season, named by the year it starts in (the 2024 season runs into February 2025).
 *
 * @param year the starting year, 1920 to 2100
 */
public record Season(int year) {
    public Season {
        if (year < 1920 || year > 2100) {
            throw new IllegalArgumentException("season must be a year from 1920 to 2100, was " + year);
        }
    }

    /** The season starting in {@code year}. */
    public static Season of(int year) {
        return new Season(year);
    }

    @Override
    public String toString() {
        return Integer.toString(year);
    }
}
