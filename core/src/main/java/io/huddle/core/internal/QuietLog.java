package io.huddle.core.internal;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a warning once per burst: the first with its stack trace (a {@link Throwable} as the last
 * argument, as SLF4J takes it), then at most one line a minute saying how many more there were. A
 * backend that is down fails every request, and an upstream that is down fails every refresh: a log
 * line for each would bury everything else. Thread-safe.
 */
public final class QuietLog {
    private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final AtomicLong lastLoggedAt = new AtomicLong(System.nanoTime() - QUIET_NANOS);
    private final AtomicLong suppressed = new AtomicLong();

    public QuietLog(Logger log) {
        this.log = log;
    }

    /** Logs {@code format} with {@code arguments} unless a line was logged less than a minute ago. */
    public void warn(String format, Object... arguments) {
        long now = System.nanoTime();
        long last = lastLoggedAt.get();
        if (now - last >= QUIET_NANOS && lastLoggedAt.compareAndSet(last, now)) {
            long more = suppressed.getAndSet(0);
            boolean throwable = arguments.length > 0 && arguments[arguments.length - 1] instanceof Throwable;
            int placeheld = throwable ? arguments.length - 1 : arguments.length;
            Object[] withCount = Arrays.copyOf(arguments, arguments.length + 1);
            // the count goes after the placeholders' arguments, before a trailing throwable
            System.arraycopy(arguments, placeheld, withCount, placeheld + 1, arguments.length - placeheld);
            withCount[placeheld] = more;
            log.warn(format + " ({} more like it since the last report)", withCount);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
