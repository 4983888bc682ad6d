package io.huddle.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.client.BalldontlieClient;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.spi.UpstreamBudget.Priority;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The budget's meters move with the permits it hands out")
class UpstreamBudgetMetricsTest {
    /** The client's own budget in this process: 600 a minute, a burst of 60, of which 30 are the reserve. */
    private final UpstreamBudget budget = BalldontlieClient.builder(URI.create("http://localhost:1"), "key")
            .requestsPerMinute(600)
            .build()
            .budget();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double count(String name, String... tags) {
        return registry.get(name)
                .tags("budget", "balldontlie")
                .tags(tags)
                .functionCounter()
                .count();
    }

    @Test
    @DisplayName("permits by priority, and a refusal, each move their own counter by one")
    void permitsAndRefusals() {
        new UpstreamBudgetMetrics(budget, "balldontlie").bindTo(registry);

        assertThat(budget.tryAcquire(Priority.USER, Duration.ZERO)).isTrue();
        assertThat(budget.tryAcquire(Priority.USER, Duration.ZERO)).isTrue();
        assertThat(count("huddle.budget.permits", "priority", "user")).isEqualTo(2);
        assertThat(count("huddle.budget.permits", "priority", "background")).isZero();

        int background = 0;
        while (budget.tryAcquire(Priority.BACKGROUND, Duration.ZERO)) { // down to the reserve, then refused
            background++;
        }

        assertThat(count("huddle.budget.permits", "priority", "background")).isEqualTo(background);
        assertThat(background).isPositive();
        assertThat(count("huddle.budget.refused")).isEqualTo(1);
        assertThat(count("huddle.budget.fallback.permits")).isZero();
        assertThat(count("huddle.budget.permits", "priority", "user")).isEqualTo(2);
    }

    @Test
    @DisplayName("the plan's limit and period are gauges, the period in seconds")
    void plan() {
        new UpstreamBudgetMetrics(budget, "balldontlie").bindTo(registry);

        assertThat(registry.get("huddle.budget.plan.requests").gauge().value()).isEqualTo(600);
        assertThat(registry.get("huddle.budget.plan.period").timeGauge().value(TimeUnit.SECONDS))
                .isEqualTo(60);
    }

    @Test
    @DisplayName("a budget whose statistics throw: counters keep their last values, gauges of a failing plan read NaN")
    void brokenBudget() {
        FailingBudget failing = new FailingBudget(budget);
        new UpstreamBudgetMetrics(failing, "balldontlie").bindTo(registry);
        budget.tryAcquire(Priority.USER, Duration.ZERO);
        assertThat(count("huddle.budget.permits", "priority", "user")).isEqualTo(1);

        failing.failing = true;
        budget.tryAcquire(Priority.USER, Duration.ZERO);

        assertThat(count("huddle.budget.permits", "priority", "user")).isEqualTo(1);
        assertThat(registry.get("huddle.budget.plan.requests").gauge().value()).isNaN();
    }

    @Test
    @DisplayName("a blank budget name is refused, naming it")
    void blankName() {
        assertThatThrownBy(() -> new UpstreamBudgetMetrics(budget, "  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budgetName");
    }

    /** A budget whose statistics and plan can be made to throw, as a budget in a store that is down might. */
    private static final class FailingBudget implements UpstreamBudget {
        private final UpstreamBudget delegate;
        volatile boolean failing;

        FailingBudget(UpstreamBudget delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean tryAcquire(Priority priority, Duration maxWait) {
            return delegate.tryAcquire(priority, maxWait);
        }

        @Override
        public BudgetPlan plan() {
            if (failing) {
                throw new IllegalStateException("the budget's store is down");
            }
            return delegate.plan();
        }

        @Override
        public BudgetStatistics statistics() {
            if (failing) {
                throw new IllegalStateException("the budget's store is down");
            }
            return delegate.statistics();
        }
    }
}
