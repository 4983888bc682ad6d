package io.huddle.core;

import io.huddle.core.internal.DaemonThreads;
import java.time.Clock;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The time the hit path decides freshness by: {@link #millisNotBeforeNow()}, a reading in epoch
 * milliseconds never earlier than the current millisecond of the engine's clock, so that {@code
 * entry.isFreshThroughout(reading)} true means the entry is fresh now, and false sends the read on
 * to the path that reads the exact instant. Thread-safe.
 *
 * <ul>
 *   <li>On an injected clock (a {@code ManualClock} in tests) the reading is that clock's {@code
 *       millis()}, as exact as the clock.
 *   <li>On the system clock (the default) a hit makes no clock call: one daemon thread publishes the
 *       clock's milliseconds every {@value #TICK_MILLIS} ms into a volatile, and the reading is the
 *       last one published plus {@value #GRACE_MILLIS} ms. A hit within that grace of its entry's
 *       fresh-until (and every hit of a kind fresh for less) reads the clock on the exact path, so
 *       freshness is still decided exactly, as long as the thread is never held up for longer than
 *       the grace. If it is (a machine so loaded that a daemon thread waits a second for a core, a
 *       longer pause of the JVM), an entry may be served fresh for at most that much longer than
 *       the grace past its fresh-until.
 * </ul>
 */
final class HitClock implements AutoCloseable {
    /** How often the system clock's milliseconds are published. */
    static final long TICK_MILLIS = 10;

    /**
     * How far the published milliseconds may lag the system clock with freshness still decided
     * exactly; also how long before its fresh-until a hit reads the clock.
     */
    static final long GRACE_MILLIS = 1000;

    /** The injected clock read on every hit; null when publishing. */
    private final InstantSource exact;

    private final LongSupplier source;
    private volatile long published;
    private volatile boolean closed;

    private HitClock(InstantSource exact, LongSupplier source) {
        this.exact = exact;
        this.source = source;
        if (source != null) {
            tick();
        }
    }

    /**
     * The hit clock of an engine on the given clock: a publishing one, with its daemon thread, for
     * the system clock; an exact one otherwise.
     */
    static HitClock of(InstantSource clock) {
        if (!isSystem(clock)) {
            return exact(clock);
        }
        HitClock published = publishing(System::currentTimeMillis);
        DaemonThreads.start("huddle-hit-clock", published::publishUntilClosed);
        return published;
    }

    /** One reading {@code millis()} of the clock on every hit. */
    static HitClock exact(InstantSource clock) {
        return new HitClock(clock, null);
    }

    /**
     * A hit clock publishing the source's epoch milliseconds only when {@link #tick()} is called:
     * the seam for tests; {@link #of} starts a thread that ticks.
     */
    static HitClock publishing(LongSupplier epochMillis) {
        return new HitClock(null, epochMillis);
    }

    private static boolean isSystem(InstantSource clock) {
        return clock.equals(InstantSource.system())
                || (clock instanceof Clock zoned && zoned.equals(Clock.system(zoned.getZone())));
    }

    /** Epoch milliseconds no earlier than the current millisecond (see the class comment). */
    long millisNotBeforeNow() {
        InstantSource clock = exact;
        return clock != null ? clock.millis() : published + GRACE_MILLIS;
    }

    /** Publishes the source's milliseconds now. */
    void tick() {
        published = source.getAsLong();
    }

    private void publishUntilClosed() {
        while (!closed) {
            tick();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
        }
    }

    /** Whether hits read a published time rather than the clock. */
    boolean publishes() {
        return source != null;
    }

    /** Stops the publishing thread, if any, within a tick. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }
}
