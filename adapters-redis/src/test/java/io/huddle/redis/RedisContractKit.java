package io.huddle.redis;

import io.huddle.core.cache.CachePortContractKit;
import java.time.Duration;

/**
 * The contract kit as Redis runs it: Redis expires keys by its own clock, so letting time pass
 * means waiting, and the keep-for is a second to keep that wait short (DESIGN rule 7's exception).
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
        return Duration.ofSeconds(1);
    }
}
