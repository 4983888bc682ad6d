package io.huddle.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told: for tests, so that entries expire without anyone sleeping.
 * Thread-safe.
 */
public final class ManualClock implements InstantSource {
    private final AtomicReference<Instant> now;

    /** A clock standing at the given instant. */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    /** A clock standing at 2024-09-05T12:00:00Z, the opening night of the 2024 NFL season. */
    public ManualClock() {
        this(Instant.parse("2024-09-05T12:00:00Z"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves the clock forward. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward, was asked to move " + duration);
        }
        now.updateAndGet(current -> current.plus(duration));
    }

    /** Sets the clock to the instant. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }
}
