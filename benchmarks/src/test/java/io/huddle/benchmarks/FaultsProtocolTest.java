package io.huddle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.benchmarks.FaultsProtocol.Answers;
import io.huddle.benchmarks.FaultsProtocol.EngineCounts;
import io.huddle.benchmarks.FaultsProtocol.EventKind;
import io.huddle.benchmarks.FaultsProtocol.Mix;
import io.huddle.benchmarks.FaultsProtocol.PhaseReport;
import io.huddle.benchmarks.FaultsProtocol.UpstreamEvent;
import io.huddle.benchmarks.FaultsProtocol.WriteBack;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CacheLoadTimeoutException;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.sports.PlayerLookupException;
import io.huddle.sports.SportsKinds;
import io.huddle.sports.UpstreamException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The fault run's wire protocol and how a failed answer is named. Nothing runs. */
class FaultsProtocolTest {

    @Test
    void every_command_survives_the_wire() {
        List<FaultsProtocol.Command> commands = List.of(
                new FaultsProtocol.Names(List.of("Nick Carter", "Ja'Marr O'Neil", "Zach, the 2nd")),
                new FaultsProtocol.Phase(0, Mix.POPULAR),
                new FaultsProtocol.Phase(6, Mix.MIXED),
                new FaultsProtocol.Stop(),
                new FaultsProtocol.Report(),
                new FaultsProtocol.Quit());

        for (FaultsProtocol.Command command : commands) {
            String line = FaultsProtocol.format(command);
            assertThat(line).doesNotContain("\n");
            assertThat(FaultsProtocol.parseCommand(line + "\n")).isEqualTo(command);
        }
        assertThat(FaultsProtocol.format(new FaultsProtocol.Phase(2, Mix.MIXED)))
                .isEqualTo("phase 2 mixed");
        assertThat(FaultsProtocol.format(new FaultsProtocol.Names(List.of("Nick Carter", "Omar Wells"))))
                .isEqualTo("names Nick+Carter,Omar+Wells");
    }

    @Test
    void a_bad_command_is_refused_with_the_line() {
        assertThatThrownBy(() -> FaultsProtocol.parseCommand("phase 1 everything"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("phase 1 everything")
                .hasMessageContaining("no mix 'everything'");
        assertThatThrownBy(() -> FaultsProtocol.parseCommand("phase -1 mixed"))
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> FaultsProtocol.parseCommand("phase 1")).hasMessageContaining("expected 3 words");
        assertThatThrownBy(() -> FaultsProtocol.parseCommand("names")).hasMessageContaining("expected 2 words");
        assertThatThrownBy(() -> FaultsProtocol.parseCommand("kill redis")).hasMessageContaining("unknown command");
    }

    @Test
    void a_phase_report_survives_the_wire() {
        LatencyHistogram latency = new LatencyHistogram();
        latency.record(120);
        latency.record(4_900_000);
        PhaseReport report = new PhaseReport(
                3,
                new Answers(9870, Map.of("RateLimited/no-permit", 2L, "LoadTimeout", 1L), 1, latency.snapshot()),
                new Answers(12, Map.of(), 0, LatencyHistogram.Snapshot.EMPTY),
                new EngineCounts(30_000, 25_000, 4100, 3900, 40, 22, 1, 7),
                new BudgetStatistics(17, 2, 44, 9),
                new CoordinatorStatistics(5, 6, 0, 1, 58),
                new WriteBack(14, 13, 1));

        String line = FaultsProtocol.format(report);

        assertThat(line)
                .startsWith(
                        "@faults phase-report 3 popular-ok=9870 popular-failed=LoadTimeout:1,RateLimited/no-permit:2"
                                + " popular-slow=1 popular-latency=4900000/")
                .contains(" long-tail-ok=12 long-tail-failed=- long-tail-slow=0 long-tail-latency=0/ ")
                .contains(" stale=4100 throttled=3900 ")
                .contains(" fallback-permits=9 ")
                .endsWith(" coordinator-fallbacks=58 written-back=14 written-back-refused=13 write-back-rounds=1");
        assertThat(FaultsProtocol.parsePhaseReport(line.substring(FaultsProtocol.PREFIX.length())))
                .isEqualTo(report);
    }

    @Test
    void a_report_missing_a_field_is_refused() {
        assertThatThrownBy(() -> FaultsProtocol.parsePhaseReport(
                        "phase-report 1 popular-ok=1 popular-failed=- popular-slow=0 popular-latency=0/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no long-tail-failed=");
        assertThatThrownBy(() -> FaultsProtocol.parsePhaseReport("stopped 0"))
                .hasMessageContaining("not a phase-report answer");
    }

    @Test
    void answers_add_up_type_by_type() {
        Answers a = new Answers(10, Map.of("LoadTimeout", 1L), 1, LatencyHistogram.Snapshot.EMPTY);
        Answers b = new Answers(5, Map.of("LoadTimeout", 2L, "Unavailable", 3L), 2, LatencyHistogram.Snapshot.EMPTY);

        Answers sum = a.plus(b);

        assertThat(sum.ok()).isEqualTo(15);
        assertThat(sum.failed()).containsOnly(Map.entry("LoadTimeout", 3L), Map.entry("Unavailable", 3L));
        assertThat(sum.failures()).isEqualTo(6);
        assertThat(sum.total()).isEqualTo(21);
        assertThat(sum.slow()).isEqualTo(3);
    }

    @Test
    void upstream_events_survive_the_wire_and_take_the_server_from_the_reader() {
        List<UpstreamEvent> events = List.of(
                new UpstreamEvent(2, EventKind.POPULAR_REQUEST, 1_733_000_000_123L, List.of("name-2")),
                new UpstreamEvent(2, EventKind.POPULAR_LOADED, 1_733_000_000_201L, List.of("stats-1", "stats-3")),
                new UpstreamEvent(2, EventKind.LONG_TAIL_REQUEST, 1_733_000_001_000L, List.of()),
                new UpstreamEvent(2, EventKind.OTHER_REQUEST, 1_733_000_001_001L, List.of()));

        String line = FaultsProtocol.formatEvents(events);

        assertThat(line)
                .isEqualTo("@faults requests P1733000000123/name-2 S1733000000201/stats-1+stats-3 L1733000001000"
                        + " O1733000001001");
        assertThat(FaultsProtocol.parseEvents(2, line.substring(FaultsProtocol.PREFIX.length())))
                .isEqualTo(events);
        assertThat(FaultsProtocol.parseEvents(0, "requests")).isEmpty();
        assertThatThrownBy(() -> FaultsProtocol.parseEvents(0, "requests X17"))
                .hasMessageContaining("bad event 'X17'")
                .hasMessageContaining("no event kind 'X'");
    }

    @Test
    void counted_answers_are_read_and_others_refused() {
        assertThat(FaultsProtocol.parseCount("stopped 3", "stopped")).isEqualTo(3);
        assertThat(FaultsProtocol.parseCount("phase-started 0", "phase-started"))
                .isZero();
        assertThatThrownBy(() -> FaultsProtocol.parseCount("phase-started 0", "stopped"))
                .hasMessageContaining("expected 'stopped <n>'");
    }

    @Test
    void a_failure_type_keeps_nothing_that_would_break_the_line() {
        assertThat(FaultsProtocol.type("RateLimited/429")).isEqualTo("RateLimited/429");
        assertThat(FaultsProtocol.type("odd type: a,b c")).isEqualTo("odd_type__a_b_c");
    }

    @Test
    void a_failed_answer_is_named_by_who_refused_or_failed() {
        CacheKey key = new CacheKey(SportsKinds.PLAYER_STATS, "1:2024");

        assertThat(FaultsWorker.failureType(loadFailed(
                        key,
                        new UpstreamException.RateLimited(
                                "GET /x", "the upstream budget had no permit within PT5S", null))))
                .isEqualTo("RateLimited/no-permit");
        assertThat(FaultsWorker.failureType(loadFailed(
                        key,
                        new UpstreamException.RateLimited("GET /x", "429 rate limit exceeded", Duration.ofSeconds(3)))))
                .isEqualTo("RateLimited/429");
        assertThat(FaultsWorker.failureType(loadFailed(
                        key,
                        new UpstreamException.RateLimited(
                                "GET /x", "the provider asked for no requests for another PT20S", null))))
                .isEqualTo("RateLimited/quiet");
        assertThat(FaultsWorker.failureType(loadFailed(
                        key,
                        new UpstreamException.Unavailable(
                                "GET /x", "the circuit breaker is open after repeated failures", null))))
                .isEqualTo("Unavailable/circuit-open");
        assertThat(FaultsWorker.failureType(loadFailed(key, new UpstreamException.Unavailable("GET /x", "503", null))))
                .isEqualTo("Unavailable");
        assertThat(FaultsWorker.failureType(loadFailed(key, new RejectedExecutionException("full"))))
                .isEqualTo("LoaderPoolFull");
        assertThat(FaultsWorker.failureType(new CacheLoadTimeoutException(key, Duration.ofSeconds(10))))
                .isEqualTo("LoadTimeout");
        assertThat(FaultsWorker.failureType(loadFailed(key, new IllegalStateException("odd"))))
                .isEqualTo("CacheLoadException(IllegalStateException)");
        assertThat(FaultsWorker.failureType(new PlayerLookupException.NotFound("Nobody", "no such player")))
                .isEqualTo("Lookup.NotFound");
        assertThat(FaultsWorker.failureType(new FaultsWorker.WrongAnswer("Josh Allen vs Lamar Jackson")))
                .isEqualTo("WrongAnswer");
    }

    private static CacheLoadException loadFailed(CacheKey key, Throwable cause) {
        return new CacheLoadException(key, "loading failed", cause);
    }
}
