package io.huddle.client;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header, seconds or an HTTP date, into a wait of at most a cap: a value
 * past the cap (however large) is the cap, a date in the past is zero, and anything unreadable
 * (negative, not a number, not a date) is no wait at all. Never throws.
 */
final class RetryAfter {
    private RetryAfter() {}

    /** The wait {@code value} asks for, as read at {@code now}, at most {@code cap}. */
    static Optional<Duration> parse(String value, Duration cap, Instant now) {
        String text = value.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // more digits than a long holds is more than any cap
            long seconds = text.length() > 18 ? Long.MAX_VALUE : Long.parseLong(text);
            return Optional.of(Durations.min(Duration.ofSeconds(seconds), cap));
        }
        try {
            Instant until = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration wait = Duration.between(now, until);
            return Optional.of(wait.isNegative() ? Duration.ZERO : Durations.min(wait, cap));
        } catch (DateTimeException | ArithmeticException unreadable) {
            return Optional.empty();
        }
    }
}
