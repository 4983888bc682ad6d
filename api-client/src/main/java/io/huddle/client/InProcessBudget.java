package io.huddle.client;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.UpstreamBudget;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The budget of one process: the plan's bucket ({@link BudgetPlan#bucket()}) as a Bucket4j bucket in
 * memory, full when made, refilled greedily (tokens come back evenly over the period, not all at
 * once). It guards one server only: servers sharing an API key need a budget they share.
 *
 * <p>A user takes a token, or reserves the next one and waits for it when it comes within its wait
 * (reservations queue fairly); a token that would come later is not waited for at all. Background
 * work never waits, and keeps a token only if the bucket still holds at least the reserve after
 * taking it: it takes one and, if that dipped into the reserve, gives it straight back. So however
 * many background requests arrive together, the reserve stays for users (for the instant between
 * taking and giving back, a user may see one token fewer). A user interrupted while waiting gets no
 * permit, its reserved token goes back, and its interrupt flag stays set.
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
        boolean granted = priority == Priority.BACKGROUND ? aboveReserve() : forUser(maxWait);
        if (!granted) {
            refused.increment();
        } else if (priority == Priority.BACKGROUND) {
            backgroundPermits.increment();
        } else {
            userPermits.increment();
        }
        return granted;
    }

    private boolean aboveReserve() {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed() && probe.getRemainingTokens() < reserve) {
            bucket.addTokens(1);
            return false;
        }
        return probe.isConsumed();
    }

    private boolean forUser(Duration maxWait) {
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
