package io.huddle.bucket4j;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.PermitRule;
import io.huddle.core.spi.UpstreamBudget;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The budget of one process: the plan's bucket ({@link BudgetPlan#bucket()}) as a Bucket4j bucket in
 * memory, full when made, refilled greedily (tokens come back evenly over the period, not all at
 * once). It guards one server only: servers sharing an API key need a budget they share.
 *
 * <p>Permits are taken by the rule every budget follows, {@link PermitRule}: a user waits for a token
 * at most its wait, background work never waits and never takes the plan's reserve.
 *
 * <p>Thread-safe; nothing to close.
 */
final class InProcessBudget implements UpstreamBudget {
    private final BudgetPlan plan;
    private final Bucket bucket;
    private final long reserve;
    private final BlockingStrategy waiting;
    private final LongAdder userPermits = new LongAdder();
    private final LongAdder backgroundPermits = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /** A budget on the system's clock, whose users wait by parking their thread. */
    InProcessBudget(BudgetPlan plan) {
        this(plan, TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
    }

    /** A budget reading the time from {@code time} and waiting through {@code waiting} (tests). */
    InProcessBudget(BudgetPlan plan, TimeMeter time, BlockingStrategy waiting) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.waiting = Objects.requireNonNull(waiting, "waiting");
        BudgetPlan.Bucket shape = plan.bucket();
        this.reserve = shape.reserve();
        this.bucket = Bucket.builder()
                .addLimit(limit ->
                        limit.capacity(shape.capacity()).refillGreedy(shape.refillTokens(), shape.refillPeriod()))
                .withCustomTimePrecision(Objects.requireNonNull(time, "time"))
                .build();
    }

    @Override
    public boolean tryAcquire(Priority priority, Duration maxWait) {
        Objects.requireNonNull(priority, "priority");
        Arguments.notNegative("maxWait", maxWait);
        boolean granted = BucketPermits.take(bucket, priority, maxWait, reserve, waiting);
        if (!granted) {
            refused.increment();
        } else if (priority == Priority.BACKGROUND) {
            backgroundPermits.increment();
        } else {
            userPermits.increment();
        }
        return granted;
    }

    @Override
    public BudgetPlan plan() {
        return plan;
    }

    @Override
    public BudgetStatistics statistics() {
        return new BudgetStatistics(userPermits.sum(), backgroundPermits.sum(), refused.sum(), 0);
    }

    @Override
    public String toString() {
        return "InProcessBudget{" + plan + '}';
    }
}
