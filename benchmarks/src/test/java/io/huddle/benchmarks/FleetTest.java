package io.huddle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.huddle.benchmarks.FleetProtocol.Contender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A tiny fleet of real processes on the Redis the benchmarks find; counts only, never timings. */
class FleetTest {
    private static BenchmarkRedis.Lookup lookup;

    @BeforeAll
    static void findRedis() {
        lookup = BenchmarkRedis.find();
    }

    @AfterAll
    static void closeRedis() {
        lookup.redis().ifPresent(BenchmarkRedis::close);
    }

    @Test
    void every_user_is_answered_caffeine_loads_each_key_once_per_process_and_huddle_once_in_all() {
        assumeTrue(lookup.redis().isPresent(), lookup.whyNone());
        BenchmarkRedis redis = lookup.redis().get();
        Fleet.Settings settings = new Fleet.Settings(
                2, 6, Duration.ofMillis(20), List.of(1, 3), 1, 1, 1, Duration.ofMillis(300), 4, "96m");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        Fleet.Result result = Fleet.run(
                settings, redis.uri(), redis.description(), new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(result.scenarios()).extracting(Fleet.Scenario::keys).containsExactly(1, 3);
        for (Fleet.Scenario scenario : result.scenarios()) {
            assertThat(scenario.rounds()).hasSize(2 * 2);
            assertThat(scenario.rounds()).allSatisfy(round -> {
                assertThat(round.failures()).isZero();
                assertThat(round.waitMicros()).hasSize(12);
            });
            assertThat(scenario.measured(Contender.CAFFEINE))
                    .singleElement()
                    .satisfies(round -> assertThat(round.loaderCalls()).isEqualTo(2 * scenario.keys()));
            // the Redis leases: one load per key, whichever process leads it
            assertThat(scenario.measured(Contender.HUDDLE)).singleElement().satisfies(round -> {
                assertThat(round.loaderCalls()).isEqualTo(scenario.keys());
                assertThat(round.coordinator().leasesTaken()).isEqualTo(scenario.keys());
            });
        }
        assertThat(Report.fleet(result)).contains("Huddle p99 / Caffeine p99");
    }
}
