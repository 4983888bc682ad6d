package io.huddle.redis;

import io.huddle.testkit.CachePortContractKit;
import java.time.Duration;

/**
 * The contract kit as Redis runs it: Redis expires keys by its own clock, which no test clock can
 * move, so letting time pass means waiting (the one exception to tests never sleeping to expire), so
 * the keep-for is short. Not shorter than 3 s: the
 * kit's concurrency test stores 1600 keys with this keep-for and reads them all back afterwards,
 * which took over a second on a busy two-core machine.
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
