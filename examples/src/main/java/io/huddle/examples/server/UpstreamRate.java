package io.huddle.examples.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The upstream requests of the last minute, from samples of a running count (the budget's permits:
 * one per request sent). A sample a second is enough: the count over "the last minute" is the
 * newest count less the one of the newest sample at least a minute old, or of the first sample while
 * the server is younger than a minute. Keeps a little over a minute of samples. Thread-safe.
 */
final class UpstreamRate {
    static final Duration WINDOW = Duration.ofMinutes(1);

    private record Sample(Instant at, long count) {}

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Records the running count at an instant; earlier instants than the newest sample are ignored. */
    synchronized void sample(Instant at, long count) {
        Sample newest = samples.peekLast();
        if (newest != null && at.isBefore(newest.at())) {
            return;
        }
        samples.addLast(new Sample(at, count));
        Instant cutoff = at.minus(WINDOW);
        // keep the newest sample at or before the cutoff: it is the window's baseline
        while (samples.size() > 2 && !secondOldest().at().isAfter(cutoff)) {
            samples.removeFirst();
        }
    }

    /** The requests counted within the minute before the newest sample. */
    synchronized long lastMinute() {
        if (samples.isEmpty()) {
            return 0;
        }
        return Math.max(0, samples.peekLast().count() - samples.peekFirst().count());
    }

    private Sample secondOldest() {
        var iterator = samples.iterator();
        iterator.next();
        return iterator.next();
    }
}
