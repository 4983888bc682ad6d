package io.huddle.benchmarks;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import io.huddle.bucket4j.BucketPermits;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.UpstreamBudget;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The replay's simulated time and what runs on it: one clock for the engine, the budget and the
 * simulator's rate windows, the plan's budget on that clock, and the background work run between
 * two questions.
 */
final class ReplayTime {
    private ReplayTime() {}

    /**
     * A clock that moves only when the replay moves it, read by the engine (as an {@link
     * InstantSource}) and by Bucket4j (as a {@link TimeMeter}). The benchmark's own, since the
     * project's {@code ManualClock} lives in the test kit. Thread-safe.
     */
    static final class Clock implements InstantSource, TimeMeter {
        private final AtomicReference<Instant> now;

        Clock(Instant start) {
            this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        /** Moves the clock forward. */
        void advance(Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("the clock only moves forward, was asked " + duration);
            }
            now.updateAndGet(current -> current.plus(duration));
        }

        @Override
        public long currentTimeNanos() {
            Instant at = now.get();
            return at.getEpochSecond() * 1_000_000_000L + at.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }

    /**
     * The plan's budget in this process on the replay's clock: the client's own in-process budget,
     * read on that clock. Nobody waits for a permit in the replay (a wait on simulated time would
     * stop every other user), so every ask is made with no wait.
     */
    static UpstreamBudget budget(BudgetPlan plan, Clock clock) {
        UpstreamBudget inProcess = BucketPermits.inProcessBudget(plan, clock, NO_WAITING);
        return new UpstreamBudget() {
            @Override
            public boolean tryAcquire(Priority priority, Duration maxWait) {
                return inProcess.tryAcquire(priority, Duration.ZERO);
            }

            @Override
            public BudgetPlan plan() {
                return inProcess.plan();
            }

            @Override
            public BudgetStatistics statistics() {
                return inProcess.statistics();
            }
        };
    }

    private static final BlockingStrategy NO_WAITING = nanos -> {
        throw new IllegalStateException("the replay's users do not wait for a permit");
    };

    /**
     * Background work (the engine's warm loads, prefetches and refreshes, and the prefetch rounds)
     * queued while a user is answered and run by the replay once the answer is in, before the next
     * question: off the users' waits, at the simulated instant between them. Bounded: a task past
     * the capacity is rejected, as the default executors reject it. Confined to the replay's thread.
     */
    static final class Between implements Executor {
        private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
        private final int capacity;
        private long ran;

        Between(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            if (queued.size() >= capacity) {
                throw new RejectedExecutionException("the background queue holds " + capacity + " tasks");
            }
            queued.add(task);
        }

        /** Runs what is queued, and what that queues, until nothing is left; returns how many ran. */
        int drain() {
            int n = 0;
            for (Runnable task; (task = queued.poll()) != null; n++) {
                task.run();
            }
            ran += n;
            return n;
        }

        long ran() {
            return ran;
        }
    }
}
