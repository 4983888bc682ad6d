package io.huddle.core.tiered;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether a near cache may call its remote tier now: after a failure it rests for the retry interval,
 * then lets one call through to try again. Thread-safe.
 */
final class RemoteHealth {
    private final long restNanos;
    private final AtomicLong restUntil = new AtomicLong(System.nanoTime());
    private final AtomicBoolean down = new AtomicBoolean();

    RemoteHealth(Duration rest) {
        this.restNanos = rest.toNanos();
    }

    /** Whether this caller may call the remote tier: always while it is up, one caller per rest while down. */
    boolean mayTry() {
        if (!down.get()) {
            return true;
        }
        long until = restUntil.get();
        long now = System.nanoTime();
        return now - until >= 0 && restUntil.compareAndSet(until, now + restNanos);
    }

    void failed() {
        restUntil.set(System.nanoTime() + restNanos);
        down.set(true);
    }

    /** A call succeeded; whether the remote tier was down until now. */
    boolean succeeded() {
        return down.get() && down.getAndSet(false);
    }

    /** The remote tier answers again: calls go through at once. */
    void reset() {
        down.set(false);
    }
}
