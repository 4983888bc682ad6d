package io.huddle.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Random;

/**
 * The scripted and random faults, handed out one per request. When several are armed they are served
 * in this order: fail-all (or fail-for), hang, fail-next, malformed, random. Thread-safe.
 */
final class Faults {
    private static final int[] RANDOM_STATUSES = {500, 502, 503};

    enum Kind {
        /** Answer the status with an error body. */
        FAIL,
        /** Answer nothing for a long time. */
        HANG,
        /** Answer 200 with a body that is not valid JSON. */
        MALFORMED
    }

    record Fault(Kind kind, int status) {}

    private final InstantSource clock;
    private int failAllStatus;
    private Instant failUntil;
    private int failNext;
    private int failNextStatus;
    private int hangNext;
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

    /** Disarms every fault and releases the requests hanging now. */
    synchronized void heal() {
        failAllStatus = 0;
        failUntil = null;
        failNext = 0;
        hangNext = 0;
        malformedNext = 0;
        randomProbability = 0;
        random = null;
        releases++;
        notifyAll();
    }

    /** Releases the hanging requests for good. */
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
        if (failNext > 0) {
            failNext--;
            return Optional.of(new Fault(Kind.FAIL, failNextStatus));
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

    /** Blocks for up to {@code limit} of real time, or until {@link #heal()} or {@link #close()}. */
    synchronized void hang(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long release = releases;
        while (!closed && releases == release) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Duration wait = Duration.ofNanos(left);
            wait(Math.max(1, wait.toMillis()));
        }
    }

    private static int serverError(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be a 5xx status, was " + status);
        }
        return status;
    }
}
