package io.huddle.redis;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;

/**
 * Bucket4j's time on a manual clock: buckets read it, and a wait for a token moves it forward
 * instead of parking the thread (an interrupted thread's wait throws, as parking would). Shared with
 * the API client's budget tests through this module's test-jar.
 */
public final class ManualTime implements TimeMeter, BlockingStrategy {
    private final ManualClock clock;

    public ManualTime(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }

    @Override
    public void park(long nanosToPark) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        clock.advance(Duration.ofNanos(nanosToPark));
    }
}
