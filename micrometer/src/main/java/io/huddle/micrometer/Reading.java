package io.huddle.micrometer;

import io.huddle.core.internal.QuietLog;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.slf4j.LoggerFactory;

/**
 * The latest snapshot of one source, which every meter over that source reads from: taken at most
 * once per {@code maxAge} of the registry's clock, so that one scrape asks the source once (a
 * cache's statistics may cost the backend a scan) and its meters agree with each other.
 *
 * <p>A read that throws never reaches the scrape: it is logged once per burst, counters keep the
 * last values read (zero before any), so that a scrape never sees a counter go backwards, and gauges
 * read {@code NaN} until a read succeeds again. Thread-safe.
 *
 * @param <S> what is read: the meters' weakly held object, passed in by each meter
 * @param <T> the snapshot
 */
final class Reading<S, T> {
    private final String what;
    /** Each source's failures logged once per burst of its own. */
    private final QuietLog log = new QuietLog(LoggerFactory.getLogger(Reading.class));

    private final Function<? super S, ? extends T> read;
    private final Clock clock;
    private final long maxAgeNanos;
    private T value;
    /** Whether the last read succeeded; false before the first. */
    private boolean current;

    private boolean everRead;
    private long readAt;

    /**
     * @param what what is read, for the log: "the statistics of cache 'sports'"
     * @param initial what counters report before a read succeeds; null when only gauges read it
     */
    Reading(String what, Function<? super S, ? extends T> read, T initial, Clock clock, Duration maxAge) {
        this.what = what;
        this.read = read;
        this.value = initial;
        this.clock = clock;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** A counter's value: from the latest snapshot, or the last good one when reading fails. */
    synchronized double counter(S source, ToDoubleFunction<? super T> count) {
        refresh(source);
        return value == null ? 0 : count.applyAsDouble(value);
    }

    /** A gauge's value: from the latest snapshot, {@code NaN} when the last read failed. */
    synchronized double gauge(S source, ToDoubleFunction<? super T> level) {
        refresh(source);
        return current ? level.applyAsDouble(value) : Double.NaN;
    }

    private void refresh(S source) {
        long now = clock.monotonicTime();
        if (everRead && now - readAt < maxAgeNanos) {
            return;
        }
        everRead = true;
        // a failed read counts as a read too: the other meters of the scrape do not ask again
        readAt = now;
        try {
            value = Objects.requireNonNull(read.apply(source), "the snapshot read");
            current = true;
        } catch (RuntimeException e) {
            current = false;
            log.warn(
                    "Could not read {} for Micrometer; its counters keep their last values, its gauges read NaN",
                    what,
                    e);
        }
    }
}
