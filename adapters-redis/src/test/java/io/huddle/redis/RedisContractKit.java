package io.huddle.redis;

import io.huddle.testkit.CachePortContractKit;
import java.time.Duration;

/**
 * The contract kit as Redis runs it: Redis expires keys by its own clock, which no test clock can
 * move, so letting time pass means waiting (the one exception to tests never sleeping to expire), so
 * the keep-for is short. The kit's tests that are not about expiry (its concurrency test stores 1600
 * keys and reads them all back, which takes seconds on a busy two-core machine) store for an hour.
 */
abstract class RedisContractKit extends CachePortContractKit {
    @Override
    protected void passTime(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        clock.advance(duration);
    }

    @Override
    protected Duration keepFor() {
        return Duration.ofSeconds(3);
    }
}
