package io.huddle.bucket4j;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.PermitRule;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.spi.UpstreamBudget.Priority;
import java.time.Duration;

/**
 * One permit from a Bucket4j bucket (in Redis or in memory) by the rule every budget follows, {@link
 * PermitRule}: this class only hands the rule the bucket as its {@link PermitRule.Tokens}. The
 * client's in-process budget and the Redis fleet budget both take their permits through it, and it
 * makes the in-process budget.
 */
public final class BucketPermits {
    private BucketPermits() {}

    /**
     * The budget of one process for the plan, on the system's clock, its users waiting by parking
     * their thread: right for one server alone on its API key.
     */
    public static UpstreamBudget inProcessBudget(BudgetPlan plan) {
        return new InProcessBudget(plan);
    }

    /**
     * The same, reading the time from {@code time} and waiting through {@code waiting}: for a
     * simulated or test clock.
     */
    public static UpstreamBudget inProcessBudget(BudgetPlan plan, TimeMeter time, BlockingStrategy waiting) {
        return new InProcessBudget(plan, time, waiting);
    }

    /** Whether a permit was taken from {@code bucket}, whose lowest {@code reserve} tokens are users'. */
    public static boolean take(
            Bucket bucket, Priority priority, Duration maxWait, long reserve, BlockingStrategy waiting) {
        return PermitRule.take(tokensOf(bucket, waiting), priority, maxWait, reserve);
    }

    private static PermitRule.Tokens tokensOf(Bucket bucket, BlockingStrategy waiting) {
        return new PermitRule.Tokens() {
            @Override
            public long takeReturningRemaining() {
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
                return probe.isConsumed() ? probe.getRemainingTokens() : -1;
            }

            @Override
            public boolean take() {
                return bucket.tryConsume(1);
            }

            @Override
            public boolean takeWaiting(long maxWaitNanos) throws InterruptedException {
                return bucket.asBlocking().tryConsume(1, maxWaitNanos, waiting);
            }

            @Override
            public void giveBack() {
                bucket.addTokens(1);
            }
        };
    }
}
