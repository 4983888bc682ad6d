package io.huddle.client;

import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * The Micrometer meters of a {@link BalldontlieClient}'s circuit breaker, retry and bulkhead, bound
 * by Resilience4j's own binders ({@code TaggedCircuitBreakerMetrics}, {@code TaggedRetryMetrics},
 * {@code TaggedBulkheadMetrics} of {@code resilience4j-micrometer}), tagged {@code
 * name=balldontlie}: {@code resilience4j.circuitbreaker.*} (calls by kind, state, failure rate...),
 * {@code resilience4j.retry.calls} (by kind) and {@code resilience4j.bulkhead.*} (available and
 * allowed concurrent calls). The permits of the plan are the budget's ({@code UpstreamBudgetMetrics}
 * in {@code huddle-micrometer}).
 *
 * <p>{@code resilience4j-micrometer} and {@code micrometer-core} are optional dependencies of the
 * client: an application that uses this class adds both; one that does not gets neither.
 *
 * <pre>{@code
 * ClientMetrics.of(client).bindTo(registry);
 * }</pre>
 *
 * <p>Every client is named {@code balldontlie}: bind one client per registry, or the second's meters
 * would be the first's. Thread-safe.
 */
public final class ClientMetrics implements MeterBinder {
    private final Guard.Registries registries;

    private ClientMetrics(Guard.Registries registries) {
        this.registries = registries;
    }

    /** The meters of {@code client}'s guards. */
    public static ClientMetrics of(BalldontlieClient client) {
        return new ClientMetrics(Objects.requireNonNull(client, "client").resilienceRegistries());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registries.circuitBreakers())
                .bindTo(registry);
        TaggedRetryMetrics.ofRetryRegistry(registries.retries()).bindTo(registry);
        TaggedBulkheadMetrics.ofBulkheadRegistry(registries.bulkheads()).bindTo(registry);
    }
}
