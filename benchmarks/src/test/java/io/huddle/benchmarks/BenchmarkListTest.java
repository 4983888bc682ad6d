package io.huddle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

class BenchmarkListTest {
    @Test
    void the_annotation_processor_listed_every_benchmark_of_this_module() throws Exception {
        List<URL> lists =
                Collections.list(getClass().getClassLoader().getResources(BenchmarkList.BENCHMARK_LIST.substring(1)));
        assertThat(lists)
                .as("META-INF/BenchmarkList on the class path (missing: jmh-generator-annprocess did not run)")
                .hasSize(1);

        List<BenchmarkListEntry> entries;
        try (InputStream in = lists.get(0).openStream()) {
            entries = BenchmarkList.readBenchmarkList(in);
        }

        assertThat(entries.stream().map(BenchmarkListEntry::getUsername).collect(Collectors.toList()))
                .containsExactlyInAnyOrder(
                        "io.huddle.benchmarks.CaffeineHitBenchmark.engineHit",
                        "io.huddle.benchmarks.CaffeineHitBenchmark.portHit",
                        "io.huddle.benchmarks.CaffeineHitBenchmark.idPortHit",
                        "io.huddle.benchmarks.CaffeineHitBenchmark.keyedPortHit",
                        "io.huddle.benchmarks.CaffeineHitBenchmark.clockReading",
                        "io.huddle.benchmarks.CaffeineHitBenchmark.hitCounting",
                        "io.huddle.benchmarks.CaffeineHitBenchmark.rawCaffeineHit",
                        "io.huddle.benchmarks.CaffeineHitBenchmark.rawExpiringCaffeineHit",
                        "io.huddle.benchmarks.RedisHitBenchmark.engineHit",
                        "io.huddle.benchmarks.RedisHitBenchmark.rawJedisGet");
        assertThat(entries).allSatisfy(entry -> assertThat(entry.getMode()).isEqualTo(Mode.AverageTime));
    }

    @Test
    void every_compared_pair_names_benchmarks_that_exist() throws Exception {
        List<String> listed;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertThat(in).isNotNull();
            listed = BenchmarkList.readBenchmarkList(in).stream()
                    .map(BenchmarkListEntry::getUsername)
                    .collect(Collectors.toList());
        }

        assertThat(Report.COMPARISONS)
                .allSatisfy(comparison -> assertThat(listed)
                        .contains(
                                "io.huddle.benchmarks." + comparison.huddle(),
                                "io.huddle.benchmarks." + comparison.baseline()));
    }
}
