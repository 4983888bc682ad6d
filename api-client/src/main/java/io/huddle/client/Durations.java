package io.huddle.client;

import java.time.Duration;

/** Duration arithmetic that cannot overflow, and durations as people write them. */
final class Durations {
    /** The longest wait in nanoseconds that {@code System.nanoTime()} arithmetic handles (146 years). */
    static final long MAX_NANOS = Long.MAX_VALUE / 2;

    private Durations() {}

    /** {@code duration} in nanoseconds, between 0 and {@link #MAX_NANOS}. */
    static long nanos(Duration duration) {
        if (duration.isNegative()) {
            return 0;
        }
        return duration.compareTo(Duration.ofNanos(MAX_NANOS)) > 0 ? MAX_NANOS : duration.toNanos();
    }

    /** The shorter of the two. */
    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** {@code 300 ms}, {@code 5 s}, {@code 5 min}; ISO-8601 for what those do not fit. */
    static String text(Duration duration) {
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0 || duration.toDays() > 365) {
            return duration.toString();
        }
        long seconds = duration.getSeconds();
        if (duration.getNano() != 0 || seconds == 0) {
            return duration.toMillis() + " ms";
        }
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }
}
