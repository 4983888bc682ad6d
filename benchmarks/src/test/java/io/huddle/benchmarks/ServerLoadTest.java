package io.huddle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.benchmarks.ServerLoad.Crowd;
import io.huddle.benchmarks.ServerLoad.Round;
import io.huddle.benchmarks.ServerLoad.Side;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The server load run on real servers, and its arithmetic; counts only, never timings. */
class ServerLoadTest {
    @Test
    void a_crowd_costs_each_side_what_one_user_alone_does_and_every_user_is_answered() {
        ServerLoad.Settings settings = new ServerLoad.Settings(12, Duration.ofMillis(10), 1_000_000, 0, 1);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        ServerLoad.Result result = ServerLoad.run(settings, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(result.rounds()).extracting(Round::side).containsExactly(Side.values());
        assertThat(result.rounds()).allSatisfy(round -> {
            assertThat(round.aloneCalls()).isPositive();
            assertThat(round.calls()).isEqualTo(round.aloneCalls());
            assertThat(round.warmCalls()).isZero();
            assertThat(round.cold().answers()).isEqualTo(Map.of(round.side().ok(), 12L));
            assertThat(round.warm().answers()).isEqualTo(Map.of(round.side().ok(), 12L));
            assertThat(round.allAnswered()).isTrue();
        });
        assertThat(Report.serverLoad(result))
                .contains("what one user alone did, asking again nothing, every round and side (warm-up included): yes")
                .contains("every user answered right (HTTP 200 with both players; the comparison in-process): yes");
    }

    @Test
    void a_ratio_pairs_each_http_round_with_the_in_process_round_of_the_same_number() {
        List<Round> rounds = new ArrayList<>();
        rounds.add(round(Side.OPEN_CONNECTIONS, 0, true, 1_000)); // warm-up: not paired
        rounds.add(round(Side.IN_PROCESS, 0, true, 1));
        rounds.add(round(Side.OPEN_CONNECTIONS, 1, false, 300));
        rounds.add(round(Side.IN_PROCESS, 1, false, 100));
        rounds.add(round(Side.IN_PROCESS, 2, false, 200));
        rounds.add(round(Side.OPEN_CONNECTIONS, 2, false, 500));
        ServerLoad.Result result = new ServerLoad.Result(
                new ServerLoad.Settings(10, Duration.ofMillis(50), 1_000, 1, 2), rounds, Duration.ofSeconds(1));

        double[] ratios = result.ratios(Side.OPEN_CONNECTIONS, Round::cold, Crowd::p50);

        assertThat(ratios).containsExactly(3.0, 2.5);
        assertThat(Report.ratioSpread(ratios)).isEqualTo("2.50x [2.50x-3.00x]");
        assertThat(Report.ratioSpread(new double[] {1.5})).isEqualTo("1.50x [1.50x-1.50x]");
    }

    @Test
    void a_crowds_percentiles_are_by_nearest_rank_over_every_user() {
        Crowd crowd = new Crowd(
                Map.of("200", 100L),
                LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray());

        assertThat(crowd.p50()).isEqualTo(50);
        assertThat(crowd.p99()).isEqualTo(99);
        assertThat(crowd.max()).isEqualTo(100);
        assertThat(crowd.all("200")).isTrue();
        assertThat(new Crowd(Map.of("200", 99L, "503", 1L), new long[100]).all("200"))
                .isFalse();
        assertThat(ServerLoad.answers(Map.of("200", 99L, "503", 1L))).isEqualTo("99 x 200, 1 x 503");
    }

    @Test
    void the_sides_order_rotates_by_one_each_round() {
        assertThat(ServerLoad.order(0)).containsExactly(Side.NEW_CONNECTIONS, Side.OPEN_CONNECTIONS, Side.IN_PROCESS);
        assertThat(ServerLoad.order(1)).containsExactly(Side.OPEN_CONNECTIONS, Side.IN_PROCESS, Side.NEW_CONNECTIONS);
        assertThat(ServerLoad.order(3)).isEqualTo(ServerLoad.order(0));
    }

    @Test
    void listen_overflows_are_read_from_the_tcp_ext_lines_of_proc_net_netstat() {
        List<String> netstat = List.of(
                "TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops",
                "TcpExt: 418 860 1128 1128",
                "IpExt: InNoRoutes InTruncatedPkts",
                "IpExt: 0 0");

        assertThat(ServerLoad.listenOverflows(netstat)).isEqualTo(OptionalLong.of(1128));
        assertThat(ServerLoad.listenOverflows(List.of("IpExt: InNoRoutes", "IpExt: 0")))
                .isEmpty();
    }

    @Test
    void the_default_run_is_1000_users_on_a_50_ms_upstream_with_one_warm_up_round() {
        ServerLoad.Settings settings = BenchmarkMain.serverLoadSettings(false, 0);

        assertThat(settings.users()).isEqualTo(1000);
        assertThat(settings.latency()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.warmupRounds()).isEqualTo(1);
        assertThat(settings.measuredRounds()).isEqualTo(5);
        assertThat(BenchmarkMain.serverLoadSettings(true, 0).measuredRounds()).isEqualTo(2);
        assertThat(BenchmarkMain.serverLoadSettings(true, 7).measuredRounds()).isEqualTo(7);
        assertThat(settings.serverArgs())
                .containsExactly("--port", "0", "--plan", "1000000", "--latency-ms", "50", "--ahead", "off");
    }

    private static Round round(Side side, int number, boolean warmup, long wait) {
        Crowd crowd = new Crowd(Map.of(side.ok(), 1L), new long[] {wait});
        return new Round(side, number, warmup, 3, wait, 3, crowd, 0, 0, crowd);
    }
}
