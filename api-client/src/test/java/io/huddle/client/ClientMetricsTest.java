package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.bucket4j.BucketPermits;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.sports.UpstreamException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client's Resilience4j meters, bound by Resilience4j's own binders")
class ClientMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double retryCalls(String kind) {
        return registry.get("resilience4j.retry.calls")
                .tags("name", "balldontlie", "kind", kind)
                .functionCounter()
                .count();
    }

    private double state(String state) {
        return registry.get("resilience4j.circuitbreaker.state")
                .tags("name", "balldontlie", "state", state)
                .gauge()
                .value();
    }

    private double availableConcurrentCalls(MeterRegistry registry) {
        return registry.get("resilience4j.bulkhead.available.concurrent.calls")
                .tags("name", "balldontlie")
                .gauge()
                .value();
    }

    @Test
    @DisplayName("a call that succeeds and one that fails after a retry move the breaker's and the retry's counts")
    void callsAndRetries() {
        try (SimulatedStack stack = SimulatedStack.start(
                true, sim -> sim, client -> client.maxAttempts(2).retryBackoff(Duration.ofMillis(1)))) {
            ClientMetrics.of(stack.client).bindTo(registry);

            assertThat(stack.client.teams()).hasSize(32);
            stack.sim.failAll(503);
            assertThatThrownBy(() -> stack.client.teams()).isInstanceOf(UpstreamException.Unavailable.class);

            assertThat(registry.get("resilience4j.circuitbreaker.calls")
                            .tags("name", "balldontlie", "kind", "successful")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("resilience4j.circuitbreaker.calls")
                            .tags("name", "balldontlie", "kind", "failed")
                            .timer()
                            .count())
                    .as("both attempts of the failed call")
                    .isEqualTo(2);
            assertThat(retryCalls("successful_without_retry")).isEqualTo(1);
            assertThat(retryCalls("failed_with_retry")).isEqualTo(1);
            assertThat(state("closed")).isEqualTo(1);
            assertThat(stack.sim.calls().total()).isEqualTo(3);
        }
    }

    @Test
    @DisplayName("an open circuit shows in the state gauge, and the calls it refuses are counted as not permitted")
    void openCircuit() {
        try (SimulatedStack stack = SimulatedStack.start(
                true, sim -> sim, client -> client.maxAttempts(1).circuitBreaker(2, 2, Duration.ofMinutes(1)))) {
            ClientMetrics.of(stack.client).bindTo(registry);
            stack.sim.failAll(503);

            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> stack.client.teams()).isInstanceOf(UpstreamException.Unavailable.class);
            }

            assertThat(state("open")).isEqualTo(1);
            assertThat(state("closed")).isZero();
            assertThat(registry.get("resilience4j.circuitbreaker.not.permitted.calls")
                            .tags("name", "balldontlie", "kind", "not_permitted")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(stack.sim.calls().total())
                    .as("the open circuit kept the third call home")
                    .isEqualTo(2);
        }
    }

    @Test
    @DisplayName("a request in flight holds one of the bulkhead's slots, and gives it back when it ends")
    void bulkhead() {
        // the budget is asked for a permit inside the bulkhead, right before the request is sent
        List<Double> availableWhileSending = new CopyOnWriteArrayList<>();
        UpstreamBudget plan = BucketPermits.inProcessBudget(BudgetPlan.perMinute(60_000));
        UpstreamBudget watching = new UpstreamBudget() {
            @Override
            public boolean tryAcquire(Priority priority, Duration maxWait) {
                availableWhileSending.add(availableConcurrentCalls(registry));
                return plan.tryAcquire(priority, maxWait);
            }

            @Override
            public BudgetPlan plan() {
                return plan.plan();
            }

            @Override
            public BudgetStatistics statistics() {
                return plan.statistics();
            }
        };
        try (SimulatedStack stack = SimulatedStack.start(
                true, sim -> sim, client -> client.maxConcurrentRequests(4).budget(watching))) {
            ClientMetrics.of(stack.client).bindTo(registry);
            assertThat(availableConcurrentCalls(registry)).isEqualTo(4);

            stack.client.teams();

            assertThat(availableWhileSending).containsExactly(3.0);
            assertThat(availableConcurrentCalls(registry)).isEqualTo(4);
            assertThat(registry.get("resilience4j.bulkhead.max.allowed.concurrent.calls")
                            .tags("name", "balldontlie")
                            .gauge()
                            .value())
                    .isEqualTo(4);
        }
    }
}
