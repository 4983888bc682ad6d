package io.huddle.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Random;

/**
 * The scripted and random faults, handed out one per request. When several are armed they are served
 * in this order: fail-all (or fail-for), hang, drip, endless, huge, fail-next, rate-limit-next,
 * malformed, random. Thread-safe.
 *
 * <p>Faults that take time (a hang, a body streamed slowly or forever) wait through {@link
 * #pause}, which {@link #heal()} and {@link #close()} cut short.
 */
final class Faults {
    private static final int[] RANDOM_STATUSES = {500, 502, 503};

    enum Kind {
        /** Answer the status with an error body. */
        FAIL,
        /** Answer nothing for a long time. */
        HANG,
        /** Answer 200 at once, then the real body a few bytes at a time ({@code amount} bytes a second). */
        DRIP,
        /** Answer 200 at once, then a list that never ends. */
        ENDLESS,
        /** Answer 200 with a list of {@code amount} bytes, streamed as fast as the client reads. */
        HUGE,
        /** Answer 429 with {@code retryAfter} as the {@code Retry-After} header (none when null). */
        RATE_LIMIT,
        /** Answer 200 with a body that is not valid JSON. */
        MALFORMED
    }

    /**
     * One fault: its kind, the status it answers, and its size where it has one.
     *
     * @param amount bytes a second for {@link Kind#DRIP}, the body's bytes for {@link Kind#HUGE}, else 0
     * @param retryAfter the {@code Retry-After} value of {@link Kind#RATE_LIMIT}, or null
     */
    record Fault(Kind kind, int status, long amount, String retryAfter) {
        Fault(Kind kind, int status) {
            this(kind, status, 0, null);
        }
    }

    private final InstantSource clock;
    private int failAllStatus;
    private Instant failUntil;
    private int failNext;
    private int failNextStatus;
    private int hangNext;
    private int dripNext;
    private int dripBytesPerSecond;
    private int endlessNext;
    private int hugeNext;
    private long hugeBytes;
    private int rateLimitNext;
    private String rateLimitRetryAfter;
    private int malformedNext;
    private double randomProbability;
    private Random random;
    private long releases;
    private boolean closed;

    Faults(InstantSource clock) {
        this.clock = clock;
    }

    synchronized void failNext(int n, int status) {
        failNext = UpstreamSimulator.notNegative("n", n);
        failNextStatus = serverError(status);
    }

    synchronized void failAll(int status, Instant until) {
        failAllStatus = serverError(status);
        failUntil = until;
    }

    synchronized void hangNext(int n) {
        hangNext = UpstreamSimulator.notNegative("n", n);
    }

    synchronized void dripNext(int n, int bytesPerSecond) {
        dripNext = UpstreamSimulator.notNegative("n", n);
        dripBytesPerSecond = UpstreamSimulator.positive("bytesPerSecond", bytesPerSecond);
    }

    synchronized void endlessNext(int n) {
        endlessNext = UpstreamSimulator.notNegative("n", n);
    }

    synchronized void hugeNext(int n, long bytes) {
        hugeNext = UpstreamSimulator.notNegative("n", n);
        if (bytes < StreamedBodies.SMALLEST_HUGE) {
            throw new IllegalArgumentException(
                    "bytes must be at least " + StreamedBodies.SMALLEST_HUGE + ", was " + bytes);
        }
        hugeBytes = bytes;
    }

    synchronized void rateLimitNext(int n, String retryAfter) {
        rateLimitNext = UpstreamSimulator.notNegative("n", n);
        if (retryAfter != null) {
            for (int i = 0; i < retryAfter.length(); i++) {
                char c = retryAfter.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    throw new IllegalArgumentException(
                            "retryAfter must be printable ASCII, has U+%04X at index %d".formatted((int) c, i));
                }
            }
        }
        rateLimitRetryAfter = retryAfter;
    }

    synchronized void malformedNext(int n) {
        malformedNext = UpstreamSimulator.notNegative("n", n);
    }

    synchronized void random(double probability, long seed) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be between 0 and 1, was " + probability);
        }
        randomProbability = probability;
        random = probability == 0 ? null : new Random(seed);
    }

    /** Disarms every fault and cuts short the hangs and streamed bodies under way. */
    synchronized void heal() {
        failAllStatus = 0;
        failUntil = null;
        failNext = 0;
        hangNext = 0;
        dripNext = 0;
        endlessNext = 0;
        hugeNext = 0;
        rateLimitNext = 0;
        malformedNext = 0;
        randomProbability = 0;
        random = null;
        releases++;
        notifyAll();
    }

    /** Cuts short the hangs and streamed bodies for good. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** The fault for the request arriving now, if any. */
    synchronized Optional<Fault> next() {
        if (failAllStatus != 0) {
            if (failUntil == null || clock.instant().isBefore(failUntil)) {
                return Optional.of(new Fault(Kind.FAIL, failAllStatus));
            }
            failAllStatus = 0;
            failUntil = null;
        }
        if (hangNext > 0) {
            hangNext--;
            return Optional.of(new Fault(Kind.HANG, 503));
        }
        if (dripNext > 0) {
            dripNext--;
            return Optional.of(new Fault(Kind.DRIP, 200, dripBytesPerSecond, null));
        }
        if (endlessNext > 0) {
            endlessNext--;
            return Optional.of(new Fault(Kind.ENDLESS, 200));
        }
        if (hugeNext > 0) {
            hugeNext--;
            return Optional.of(new Fault(Kind.HUGE, 200, hugeBytes, null));
        }
        if (failNext > 0) {
            failNext--;
            return Optional.of(new Fault(Kind.FAIL, failNextStatus));
        }
        if (rateLimitNext > 0) {
            rateLimitNext--;
            return Optional.of(new Fault(Kind.RATE_LIMIT, 429, 0, rateLimitRetryAfter));
        }
        if (malformedNext > 0) {
            malformedNext--;
            return Optional.of(new Fault(Kind.MALFORMED, 200));
        }
        if (random != null && random.nextDouble() < randomProbability) {
            return Optional.of(new Fault(Kind.FAIL, RANDOM_STATUSES[random.nextInt(RANDOM_STATUSES.length)]));
        }
        return Optional.empty();
    }

    /** The release count now: a fault taking time passes it to {@link #pause} and {@link #released}. */
    synchronized long releases() {
        return releases;
    }

    /** Whether {@link #heal()} or {@link #close()} came since {@code releases} was read. */
    synchronized boolean released(long releases) {
        return closed || this.releases != releases;
    }

    /**
     * Waits {@code time} of real time; returns early, false, once {@link #released(long)} (at once
     * if it already is).
     *
     * @return true if the whole time passed
     */
    synchronized boolean pause(long releases, Duration time) throws InterruptedException {
        long deadline = System.nanoTime() + time.toNanos();
        while (!released(releases)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            wait(Math.max(1, Duration.ofNanos(left).toMillis()));
        }
        return false;
    }

    private static int serverError(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be a 5xx status, was " + status);
        }
        return status;
    }
}
