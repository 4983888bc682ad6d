package io.huddle.micrometer;

import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.UpstreamBudget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The meters of one {@link UpstreamBudget}, tagged {@code budget=<name>}, read from its {@link
 * BudgetStatistics} (what it handed out in this process) and its {@link BudgetPlan}: permits taken
 * by priority, requests refused, permits taken from this server's share while the shared budget was
 * unreachable, and the plan's limit and period, so that a dashboard can draw the plan's line beside
 * the upstream calls. Every name is in the {@linkplain io.huddle.micrometer package's table}.
 *
 * <p>Each meter reads the budget when the registry asks (its statistics are counters in this
 * process); a read that fails never fails the scrape: counters keep their last values, gauges read
 * {@code NaN}. Thread-safe.
 *
 * <pre>{@code
 * new UpstreamBudgetMetrics(client.budget(), "balldontlie").bindTo(registry);
 * }</pre>
 */
public final class UpstreamBudgetMetrics implements MeterBinder {
    private final UpstreamBudget budget;
    private final String budgetName;
    private final Tags tags;

    /**
     * The meters of {@code budget}, tagged {@code budget=budgetName} and with {@code tags} (the
     * binder's own tags win over tags of the same key).
     *
     * @throws IllegalArgumentException if the name is blank
     */
    public UpstreamBudgetMetrics(UpstreamBudget budget, String budgetName, Iterable<Tag> tags) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.budgetName = Arguments.notBlank("budgetName", budgetName);
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("budget", budgetName);
    }

    /** {@link #UpstreamBudgetMetrics(UpstreamBudget, String, Iterable)} with no tags of the application's. */
    public UpstreamBudgetMetrics(UpstreamBudget budget, String budgetName) {
        this(budget, budgetName, Tags.empty());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        // the statistics are cheap to read: every meter reads them anew
        Reading<UpstreamBudget, BudgetStatistics> statistics = new Reading<>(
                "the statistics of budget '" + budgetName + "'",
                UpstreamBudget::statistics,
                BudgetStatistics.EMPTY,
                registry.config().clock(),
                Duration.ZERO);
        counter(
                registry,
                statistics,
                "huddle.budget.permits",
                Tags.of("priority", "user"),
                "Permits taken for" + " requests a user waited on",
                BudgetStatistics::userPermits);
        counter(
                registry,
                statistics,
                "huddle.budget.permits",
                Tags.of("priority", "background"),
                "Permits taken for background work (refreshes, warming, prefetch)",
                BudgetStatistics::backgroundPermits);
        counter(
                registry,
                statistics,
                "huddle.budget.refused",
                Tags.empty(),
                "Requests that got no permit and were not sent",
                BudgetStatistics::refused);
        counter(
                registry,
                statistics,
                "huddle.budget.fallback.permits",
                Tags.empty(),
                "Permits taken from this server's share of the plan while the shared budget was unreachable",
                BudgetStatistics::fallbackPermits);

        Reading<UpstreamBudget, BudgetPlan> plan = new Reading<>(
                "the plan of budget '" + budgetName + "'",
                UpstreamBudget::plan,
                null,
                registry.config().clock(),
                Duration.ZERO);
        Gauge.builder("huddle.budget.plan.requests", budget, b -> plan.gauge(b, BudgetPlan::requests))
                .tags(tags)
                .description("The plan's limit: requests allowed in any window of its period")
                .register(registry);
        TimeGauge.builder(
                        "huddle.budget.plan.period",
                        budget,
                        TimeUnit.NANOSECONDS,
                        b -> plan.gauge(b, p -> p.period().toNanos()))
                .tags(tags)
                .description("The window the plan's limit counts in")
                .register(registry);
    }

    private void counter(
            MeterRegistry registry,
            Reading<UpstreamBudget, BudgetStatistics> statistics,
            String name,
            Tags own,
            String description,
            ToLongFunction<BudgetStatistics> count) {
        FunctionCounter.builder(name, budget, b -> statistics.counter(b, count::applyAsLong))
                .tags(tags.and(own))
                .description(description)
                .register(registry);
    }

    @Override
    public String toString() {
        return "UpstreamBudgetMetrics{budget=" + budgetName + "}";
    }
}
