package io.huddle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.benchmarks.FaultsProtocol.Answers;
import io.huddle.benchmarks.FaultsProtocol.EngineCounts;
import io.huddle.benchmarks.FaultsProtocol.EventKind;
import io.huddle.benchmarks.FaultsProtocol.PhaseReport;
import io.huddle.benchmarks.FaultsProtocol.UpstreamEvent;
import io.huddle.benchmarks.FaultsProtocol.WriteBack;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.sim.UpstreamCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fault tables from made-up figures: each target's verdict follows the figures it names. */
class FaultsReportTest {
    private static final long T0 = 1_733_000_000_000L;
    private static final long PHASE = 20_000;

    @Test
    void every_target_is_met_when_the_figures_say_so() {
        String report = Report.faults(result(Map.of(), 0, List.of()));

        assertThat(report)
                .contains("0 failed answers for items cached before the fault (phases 2-7)")
                .contains("upstream within the plan (60) in every 60 s window")
                .contains("at most 0 sent, 40 accepted")
                .contains("0 (phase 6, induced: 5)")
                .contains(
                        "Requests for popular items after the warm-up (s from the phase's start, server, items): none")
                .doesNotContain("missed");
        assertThat(report.lines().filter(line -> line.endsWith(" met"))).hasSize(4);
    }

    @Test
    void a_failed_popular_answer_and_a_refill_from_the_upstream_are_misses() {
        List<UpstreamEvent> events = List.of(
                event(0, EventKind.POPULAR_REQUEST, 1000, "name-2"),
                event(0, EventKind.POPULAR_LOADED, 1100, "name-2"),
                // phase 4 (redis-restarted) begins at 60 s: server 3 asks for what server 0 holds
                event(3, EventKind.POPULAR_REQUEST, 3 * PHASE + 500, "name-2"),
                // phase 6: stats loaded at 1 s are due again 99 s later
                event(0, EventKind.POPULAR_LOADED, 1000, "stats-3"),
                event(1, EventKind.POPULAR_REQUEST, 5 * PHASE + 100, "stats-3"));

        String report = Report.faults(result(Map.of("LoadTimeout", 2L), 2, events));

        assertThat(report)
                .contains("LoadTimeout 2 | RateLimited/no-permit 4")
                .contains("at most 2 sent, 40 accepted")
                .contains("1 (of 1 requests for popular items in phase 4)")
                .contains("+0.50 s  server 3  name-2")
                .contains("held fresh: name-2 loaded by server 0 59.40 s before")
                .contains("+0.10 s  server 1  stats-3              due: last loaded by server 0 99.10 s before");
        assertThat(report.lines().filter(line -> line.endsWith(" missed"))).hasSize(2);
    }

    /** Seven phases of 20 s; popular failures in phase 3, five 429s in phase 6. */
    private static Faults.Result result(
            Map<String, Long> popularFailures, int failedPhase, List<UpstreamEvent> events) {
        Faults.Settings settings = Faults.Settings.of(Duration.ofMillis(PHASE));
        List<Faults.PhaseResult> phases = new ArrayList<>();
        for (Faults.Phase phase : Faults.Phase.values()) {
            int k = phase.ordinal();
            PhaseReport report = new PhaseReport(
                    k,
                    new Answers(
                            1000, k == failedPhase ? popularFailures : Map.of(), 0, LatencyHistogram.Snapshot.EMPTY),
                    new Answers(3, Map.of("RateLimited/no-permit", 4L), 0, LatencyHistogram.Snapshot.EMPTY),
                    new EngineCounts(3000, 2900, 10, 5, 4, 1, 0, 0),
                    new BudgetStatistics(4, 0, 4, 0),
                    new CoordinatorStatistics(4, 0, 0, 0, 0),
                    WriteBack.EMPTY);
            UpstreamCalls calls = new UpstreamCalls(
                    20,
                    Map.of(),
                    phase == Faults.Phase.UPSTREAM_429 ? 5 : 0,
                    0,
                    phase == Faults.Phase.HEALED ? 40 : 20);
            phases.add(new Faults.PhaseResult(
                    phase, T0 + k * PHASE, T0 + (k + 1) * PHASE, report, List.of(report, report), calls));
        }
        return new Faults.Result(
                settings, "a test Redis", Path.of("/tmp/logs"), 1687, phases, events, 0, Duration.ofSeconds(150));
    }

    private static UpstreamEvent event(int server, EventKind kind, long atMillis, String... items) {
        return new UpstreamEvent(server, kind, T0 + atMillis, List.of(items));
    }
}
