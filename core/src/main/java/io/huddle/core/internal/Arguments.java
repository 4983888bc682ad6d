package io.huddle.core.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks for builders, with messages that name the field and the bad value ({@code ttl must
 * be positive, was PT0S}). Shared by the core and the adapters so that every builder speaks alike.
 */
public final class Arguments {
    private Arguments() {}

    /** The duration, if it is above zero. */
    public static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    /** The duration, if it is zero or above. */
    public static Duration notNegative(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
        return value;
    }

    /** The number, if it is above zero. */
    public static long positive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    /** The number, if it is above zero. */
    public static int positive(String field, int value) {
        return (int) positive(field, (long) value);
    }

    /** The number, if it is zero or above. */
    public static long notNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
        return value;
    }

    /** The number, if it is zero or above. */
    public static int notNegative(String field, int value) {
        return (int) notNegative(field, (long) value);
    }

    /** The text, if it holds more than whitespace. */
    public static String notBlank(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, was '" + value + "'");
        }
        return value;
    }
}
