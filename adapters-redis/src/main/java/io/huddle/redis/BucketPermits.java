package io.huddle.redis;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.huddle.core.spi.UpstreamBudget.Priority;
import java.time.Duration;

/**
 * One permit from a Bucket4j bucket (in Redis or in memory) by the rules of {@link
 * io.huddle.core.spi.UpstreamBudget}. A user takes a token, or reserves the next one and waits for
 * it when it comes within its wait (reservations queue fairly; a token that would come later is not
 * waited for at all). Background work never waits, and keeps a token only if the bucket still holds
 * at least the reserve after taking it: it takes one and, if that dipped into the reserve, gives it
 * straight back, so no number of background requests arriving together can take the reserve (for
 * the instant in between, a user may find one token fewer). A user interrupted while waiting gets no
 * permit, its token goes back, and its interrupt flag stays set.
 */
final class BucketPermits {
    private BucketPermits() {}

    /** Whether a permit was taken from {@code bucket}, whose lowest {@code reserve} tokens are users'. */
    static boolean take(Bucket bucket, Priority priority, Duration maxWait, long reserve, BlockingStrategy waiting) {
        return priority == Priority.BACKGROUND ? aboveReserve(bucket, reserve) : forUser(bucket, maxWait, waiting);
    }

    private static boolean aboveReserve(Bucket bucket, long reserve) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed() && probe.getRemainingTokens() < reserve) {
            bucket.addTokens(1);
            return false;
        }
        return probe.isConsumed();
    }

    private static boolean forUser(Bucket bucket, Duration maxWait, BlockingStrategy waiting) {
        if (maxWait.isZero()) {
            return bucket.tryConsume(1);
        }
        try {
            return bucket.asBlocking().tryConsume(1, nanos(maxWait), waiting);
        } catch (InterruptedException e) {
            // the token was reserved for this thread, which will not send its request
            bucket.addTokens(1);
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long nanos(Duration wait) {
        try {
            return wait.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
