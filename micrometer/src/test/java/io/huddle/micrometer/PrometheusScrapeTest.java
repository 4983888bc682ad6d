package io.huddle.micrometer;

import static io.huddle.micrometer.MeteredCache.WORDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.client.BalldontlieClient;
import io.huddle.core.api.Loaded;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.testkit.ManualClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A Prometheus scrape of the documented call sequence")
class PrometheusScrapeTest {
    private final List<String> registrationFailures = new ArrayList<>();

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path snapshotFolder;

    private java.nio.file.Path snapshotFile;

    @org.junit.jupiter.api.BeforeEach
    void snapshotFile() {
        snapshotFile = snapshotFolder.resolve("cache.snapshot");
    }

    private final MeteredCache metered = MeteredCache.on(clock -> {
        PrometheusMeterRegistry registry = MeteredCache.prometheusRegistry(clock);
        registry.config().onMeterRegistrationFailed((id, reason) -> registrationFailures.add(id + ": " + reason));
        return registry;
    });
    private final PrometheusMeterRegistry registry = (PrometheusMeterRegistry) metered.registry;
    private final UpstreamBudget budget = BalldontlieClient.builder(URI.create("http://localhost:1"), "key")
            .requestsPerMinute(600)
            .build()
            .budget();

    @AfterEach
    void close() {
        metered.close();
    }

    private String scrape() {
        metered.later();
        return registry.scrape();
    }

    /** The meter names of the package's table, in its javadoc. */
    private static Set<String> namesInTheTable() throws IOException {
        String table = Files.readString(Path.of("src/main/java/io/huddle/micrometer/package-info.java"));
        Matcher names = Pattern.compile("<td>\\{@code (huddle\\.[a-z.]+)}</td>").matcher(table);
        Set<String> documented = new TreeSet<>();
        while (names.find()) {
            documented.add(names.group(1));
        }
        return documented;
    }

    @Test
    @DisplayName("registers exactly the documented names, each with one set of tag keys, and nothing fails to register")
    void documentedNames() throws IOException {
        new UpstreamBudgetMetrics(budget, "balldontlie").bindTo(registry);
        new SnapshotMetrics(SnapshotMetricsTest.schedule(new ManualClock(), snapshotFile)).bindTo(registry);
        metered.cache.get(WORDS, "a", id -> Loaded.of("A")); // the kind's first request makes its timers

        Set<String> registered = registry.getMeters().stream()
                .map(meter -> meter.getId().getName())
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(registered).isEqualTo(namesInTheTable());
        assertThat(registrationFailures).isEmpty();
        for (String name : registered) {
            assertThat(registry.find(name).meters().stream()
                            .map(meter -> meter.getId().getTags().stream()
                                    .map(tag -> tag.getKey())
                                    .collect(Collectors.toSet()))
                            .distinct())
                    .as("the tag keys of " + name)
                    .hasSize(1);
        }
    }

    @Test
    @DisplayName("holds every meter under its Prometheus name, with the cache's and the kind's tags")
    void prometheusNames() {
        new UpstreamBudgetMetrics(budget, "balldontlie").bindTo(registry);
        metered.cache.get(WORDS, "a", id -> Loaded.of("A", 2));
        metered.cache.get(WORDS, "a", id -> Loaded.of("A", 2));
        budget.tryAcquire(UpstreamBudget.Priority.USER, Duration.ZERO);

        String scrape = scrape();

        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            String prometheusName =
                    registry.config().namingConvention().name(id.getName(), id.getType(), id.getBaseUnit());
            assertThat(scrape).as(id.toString()).contains(prometheusName);
        }
        assertThat(scrape)
                .contains("huddle_cache_requests_total{cache=\"sports\",kind=\"words\",result=\"hit\"} 1.0")
                .contains("huddle_cache_requests_total{cache=\"sports\",kind=\"words\",result=\"miss\"} 1.0")
                .contains("huddle_cache_upstream_calls_saved_total{cache=\"sports\",kind=\"words\"} 2.0")
                .contains("huddle_cache_entries{cache=\"sports\",kind=\"words\"} 1.0")
                .contains(
                        "huddle_cache_load_duration_seconds_count{cache=\"sports\",kind=\"words\",result=\"success\"} 1")
                .contains(
                        "huddle_cache_load_duration_seconds{cache=\"sports\",kind=\"words\",result=\"success\",quantile=\"0.95\"}")
                .contains("huddle_cache_requests_total{cache=\"sports\",kind=\"numbers\",result=\"miss\"} 0.0")
                .contains("huddle_coordinator_leases_taken_total{cache=\"sports\"} 1.0")
                .contains("huddle_bus_sent_total{cache=\"sports\"} 0.0")
                .contains("huddle_budget_permits_total{budget=\"balldontlie\",priority=\"user\"} 1.0")
                .contains("huddle_budget_plan_requests{budget=\"balldontlie\"} 600.0")
                .contains("huddle_budget_plan_period_seconds{budget=\"balldontlie\"} 60.0");
    }
}
