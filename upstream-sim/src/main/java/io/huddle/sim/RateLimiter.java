package io.huddle.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sliding-window limit per key: at most {@code limit} accepted requests in any window (60 seconds
 * unless told otherwise) of the injected clock. A refused request takes no slot. Also records the most requests a key had accepted
 * within one window, whether or not a limit is set. Thread-safe.
 */
final class RateLimiter {
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final InstantSource clock;
    private final Duration windowLength;
    private final Map<String, Deque<Instant>> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger maxInWindow = new AtomicInteger();
    private volatile int limit;

    RateLimiter(InstantSource clock, int limit) {
        this(clock, limit, WINDOW);
    }

    RateLimiter(InstantSource clock, int limit, Duration windowLength) {
        this.clock = clock;
        this.limit = limit;
        this.windowLength = windowLength;
    }

    void setLimit(int limit) {
        this.limit = limit;
    }

    /** Takes a slot for {@code key}: empty when accepted, else how long until a slot frees (at least 1 s). */
    Optional<Duration> refusal(String key) {
        Deque<Instant> window = accepted.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (window) {
            Instant now = clock.instant();
            while (!window.isEmpty() && !window.peekFirst().plus(windowLength).isAfter(now)) {
                window.pollFirst();
            }
            int max = limit;
            if (max > 0 && window.size() >= max) {
                Duration wait = Duration.between(now, window.peekFirst().plus(windowLength));
                long seconds = (wait.toMillis() + 999) / 1000;
                return Optional.of(Duration.ofSeconds(Math.max(1, seconds)));
            }
            window.addLast(now);
            maxInWindow.accumulateAndGet(window.size(), Math::max);
            return Optional.empty();
        }
    }

    int maxAcceptedInAnyMinute() {
        return maxInWindow.get();
    }

    /** Forgets the recorded maximum; the windows themselves (and so the limit) are kept. */
    void resetMaximum() {
        maxInWindow.set(0);
    }
}
