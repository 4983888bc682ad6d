package io.huddle.core.cache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a backend failure once per burst: the first failure with its stack trace, then at most one
 * line a minute saying how many more there were. A backend that is down fails every request, and a
 * log line per request would bury everything else.
 */
final class BackendErrorLog {
    private static final Logger log = LoggerFactory.getLogger(SharedCache.class);
    private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong lastLoggedAt = new AtomicLong(System.nanoTime() - QUIET_NANOS);
    private final AtomicLong suppressed = new AtomicLong();

    void failed(String operation, Object target, RuntimeException error) {
        long now = System.nanoTime();
        long last = lastLoggedAt.get();
        if (now - last >= QUIET_NANOS && lastLoggedAt.compareAndSet(last, now)) {
            long more = suppressed.getAndSet(0);
            log.warn(
                    "cache backend failed to {} {}; carrying on without it ({} more failures since the last report)",
                    operation,
                    target,
                    more,
                    error);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
