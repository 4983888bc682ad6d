package io.huddle.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.spi.UpstreamBudget.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UpstreamBudget} must have. A budget's test extends this class and says
 * how to make one; it passes when the budget keeps the contract:
 *
 * <pre>{@code
 * class InProcessBudgetTest extends UpstreamBudgetContractKit {
 *     protected UpstreamBudget createBudget(BudgetPlan plan, ManualClock clock) {
 *         ManualTime time = new ManualTime(clock); // Bucket4j's clock and waits, on the kit's clock
 *         return BucketPermits.inProcessBudget(plan, time, time);
 *     }
 * }
 * }</pre>
 *
 * <p>The budget must read the time from {@code clock}, and a wait for a permit must move the clock
 * forward by the wait instead of sleeping: then no test sleeps, and the kit sees how long a user
 * waited. Every test starts with a new budget whose bucket is full.
 */
public abstract class UpstreamBudgetContractKit {
    /**
     * 60 a minute: a burst of 6, of which 3 are the reserve, and a headroom of 1, so 53 tokens come
     * back a minute, one every 60/53 s (about 1.13 s).
     */
    protected static final BudgetPlan PLAN = BudgetPlan.perMinute(60);

    private static final Duration ONE_TOKEN =
            PLAN.period().dividedBy(PLAN.bucket().refillTokens());

    protected ManualClock clock;
    protected UpstreamBudget budget;

    /**
     * A new budget enforcing {@code plan} with a full bucket, reading the time from {@code clock},
     * whose waits for a permit move {@code clock} forward instead of sleeping.
     */
    protected abstract UpstreamBudget createBudget(BudgetPlan plan, ManualClock clock);

    @BeforeEach
    void openBudget() {
        clock = new ManualClock();
        budget = createBudget(PLAN, clock);
    }

    @AfterEach
    void closeBudget() {
        budget.close();
    }

    /** Takes permits without waiting until one is refused; how many were granted. */
    protected int drain(Priority priority) {
        int granted = 0;
        while (budget.tryAcquire(priority, Duration.ZERO)) {
            granted++;
            if (granted > 10_000) {
                throw new AssertionError("the budget never refuses");
            }
        }
        return granted;
    }

    @Test
    @DisplayName("the budget enforces the plan it was made with")
    void plan() {
        assertThat(budget.plan()).isEqualTo(PLAN);
    }

    @Test
    @DisplayName("a missing priority or a negative wait is refused with a message naming it")
    void arguments() {
        assertThatThrownBy(() -> budget.tryAcquire(null, Duration.ZERO)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> budget.tryAcquire(Priority.USER, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxWait must not be negative, was PT-1S");
    }

    @Nested
    @DisplayName("The burst")
    class Burst {
        @Test
        @DisplayName("is available at once, and the next request is then refused without waiting")
        void burstThenRefused() {
            Instant start = clock.instant();

            assertThat(drain(Priority.USER)).isEqualTo(PLAN.burst());
            assertThat(clock.instant()).as("nobody waited").isEqualTo(start);
        }

        @Test
        @DisplayName("once spent, a user who may wait less than the next token takes is refused at once")
        void tooShortAWait() {
            drain(Priority.USER);
            Instant start = clock.instant();

            assertThat(budget.tryAcquire(Priority.USER, ONE_TOKEN.dividedBy(2))).isFalse();
            assertThat(clock.instant())
                    .as("a wait that cannot succeed is not begun")
                    .isEqualTo(start);
        }
    }

    @Nested
    @DisplayName("Refill")
    class Refill {
        @Test
        @DisplayName("gives one token back for every period divided by the tokens the plan refills")
        void oneTokenBack() {
            drain(Priority.USER);

            clock.advance(ONE_TOKEN.plusMillis(10));

            assertThat(drain(Priority.USER)).isEqualTo(1);
        }

        @Test
        @DisplayName("after a quiet spell holds the burst again, and never more")
        void neverAboveTheBurst() {
            drain(Priority.USER);

            clock.advance(PLAN.period().multipliedBy(10));

            assertThat(drain(Priority.USER)).isEqualTo(PLAN.burst());
        }

        @Test
        @DisplayName("lets a user who may wait have the next token, after waiting no longer than it takes")
        void userWaitsForTheNextToken() {
            drain(Priority.USER);
            Instant start = clock.instant();

            assertThat(budget.tryAcquire(Priority.USER, Duration.ofSeconds(5))).isTrue();

            Duration waited = Duration.between(start, clock.instant());
            assertThat(waited).isPositive().isLessThanOrEqualTo(ONE_TOKEN.plusMillis(1));
        }

        @Test
        @DisplayName("queues waiting users: each waits for a token of its own")
        void waitingUsersQueue() {
            drain(Priority.USER);
            Instant start = clock.instant();

            assertThat(budget.tryAcquire(Priority.USER, Duration.ofSeconds(5))).isTrue();
            assertThat(budget.tryAcquire(Priority.USER, Duration.ofSeconds(5))).isTrue();

            assertThat(Duration.between(start, clock.instant()))
                    .isGreaterThan(ONE_TOKEN.multipliedBy(2).minusMillis(5))
                    .isLessThanOrEqualTo(ONE_TOKEN.multipliedBy(2).plusMillis(2));
        }
    }

    @Nested
    @DisplayName("Any window of one period")
    class Windows {
        @Test
        @DisplayName("grants at most the plan less its headroom, and a busy stretch gets about that much")
        void withinThePlan() {
            List<Instant> granted = new ArrayList<>();
            Instant end = clock.instant().plus(PLAN.period().multipliedBy(3));
            while (clock.instant().isBefore(end)) {
                while (budget.tryAcquire(Priority.USER, Duration.ZERO)) {
                    granted.add(clock.instant());
                }
                clock.advance(Duration.ofMillis(250));
            }

            int most = 0;
            for (int first = 0, last = 0; first < granted.size(); first++) {
                Instant windowEnd = granted.get(first).plus(PLAN.period());
                while (last < granted.size() && !granted.get(last).isAfter(windowEnd)) {
                    last++;
                }
                most = Math.max(most, last - first);
            }
            int allowed = PLAN.requests() - PLAN.headroom();
            assertThat(most).as("the most granted in one period").isLessThanOrEqualTo(allowed);
            assertThat(most).as("the most granted in one period").isGreaterThanOrEqualTo(allowed - 2);
            long tokens = PLAN.burst() + 3 * PLAN.bucket().refillTokens();
            assertThat((long) granted.size()).as("granted in three periods").isBetween(tokens - 3, tokens);
        }
    }

    @Nested
    @DisplayName("Background work")
    class Background {
        @Test
        @DisplayName("takes tokens only while the bucket holds more than the reserve, and never waits")
        void leavesTheReserve() {
            Instant start = clock.instant();
            int granted = 0;
            for (int i = 0; i < 10; i++) {
                if (budget.tryAcquire(Priority.BACKGROUND, Duration.ofSeconds(5))) {
                    granted++;
                }
            }

            assertThat(granted).isEqualTo(PLAN.burst() - PLAN.reserve());
            assertThat(clock.instant()).as("background work never waits").isEqualTo(start);
            assertThat(drain(Priority.USER)).as("the reserve is left for users").isEqualTo(PLAN.reserve());
        }

        @Test
        @DisplayName("arriving on many threads at once still leaves the reserve")
        void concurrentBackgroundLeavesTheReserve() throws Exception {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> counts = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    counts.add(threads.submit(() -> {
                        go.await();
                        int granted = 0;
                        for (int i = 0; i < 10; i++) {
                            if (budget.tryAcquire(Priority.BACKGROUND, Duration.ZERO)) {
                                granted++;
                            }
                        }
                        return granted;
                    }));
                }
                go.countDown();
                int granted = 0;
                for (Future<Integer> count : counts) {
                    granted += count.get(30, TimeUnit.SECONDS);
                }

                assertThat(granted).isEqualTo(PLAN.burst() - PLAN.reserve());
                assertThat(drain(Priority.USER)).isEqualTo(PLAN.reserve());
            } finally {
                threads.shutdownNow();
            }
        }

        @Test
        @DisplayName("gets nothing while users hold the reserve, and again what is above it after a refill")
        void afterRefill() {
            drain(Priority.USER);
            assertThat(budget.tryAcquire(Priority.BACKGROUND, Duration.ZERO)).isFalse();

            clock.advance(PLAN.period());

            assertThat(drain(Priority.BACKGROUND)).isEqualTo(PLAN.burst() - PLAN.reserve());
        }
    }

    @Nested
    @DisplayName("Statistics")
    class Statistics {
        @Test
        @DisplayName("count user and background permits and refusals, and start at zero")
        void counted() {
            assertThat(budget.statistics()).isEqualTo(BudgetStatistics.EMPTY);

            budget.tryAcquire(Priority.BACKGROUND, Duration.ZERO); // 6 tokens, then 5
            budget.tryAcquire(Priority.BACKGROUND, Duration.ZERO); // then 4
            budget.tryAcquire(Priority.USER, Duration.ZERO); // then 3: the reserve
            drain(Priority.BACKGROUND); // refused at once
            drain(Priority.USER); // the reserve's 3, then one refused

            assertThat(budget.statistics()).isEqualTo(new BudgetStatistics(1 + PLAN.reserve(), 2, 2, 0));
            assertThat(budget.statistics().permits()).isEqualTo(PLAN.burst());
        }
    }
}
