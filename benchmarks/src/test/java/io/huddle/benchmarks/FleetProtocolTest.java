package io.huddle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.benchmarks.FleetProtocol.Contender;
import io.huddle.core.spi.CoordinatorStatistics;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet's pure parts: the protocol, percentiles and the report's arithmetic. Nothing is timed. */
class FleetProtocolTest {

    @Test
    void a_round_command_survives_the_wire_and_names_fresh_keys() {
        FleetProtocol.Round round = new FleetProtocol.Round(Contender.HUDDLE, 10, 7, 1_733_000_000_123L);

        String line = FleetProtocol.format(round);

        assertThat(line).isEqualTo("round huddle 10 7 1733000000123");
        assertThat(FleetProtocol.parseCommand(line + "\n")).isEqualTo(round);
        assertThat(round.key(3)).isEqualTo("round7-key3");
        assertThat(FleetProtocol.parseCommand("clean")).isInstanceOf(FleetProtocol.Clean.class);
        assertThat(FleetProtocol.parseCommand("quit")).isInstanceOf(FleetProtocol.Quit.class);
    }

    @Test
    void a_bad_command_is_refused_with_the_line() {
        assertThatThrownBy(() -> FleetProtocol.parseCommand("round memcached 1 2 3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("round memcached 1 2 3")
                .hasMessageContaining("no contender 'memcached'");
        assertThatThrownBy(() -> FleetProtocol.parseCommand("round caffeine 1 2"))
                .hasMessageContaining("expected 5 words");
        assertThatThrownBy(() -> FleetProtocol.parseCommand("round caffeine 0 2 3"))
                .hasMessageContaining("keys must be positive");
        assertThatThrownBy(() -> FleetProtocol.parseCommand("dance")).hasMessageContaining("unknown command");
    }

    @Test
    void a_done_answer_survives_the_wire() {
        FleetProtocol.Done done = new FleetProtocol.Done(
                12, 1, 412, 3, 2100, 202_500, 0, new CoordinatorStatistics(1, 3, 0, 0, 2), new long[] {
                    200_100, 200_900, 230_000
                });

        String line = FleetProtocol.format(done);

        assertThat(line)
                .isEqualTo(
                        "@fleet done 12 calls=1 late=412 gc=3 load-from=2100 load-to=202500 failures=0 leases=1 waits=3 holdersLost=0 leasesLost=0"
                                + " fallbacks=2 waits-us=200100,200900,230000");
        FleetProtocol.Done parsed = FleetProtocol.parseDone(line.substring(FleetProtocol.PREFIX.length()));
        assertThat(parsed.roundId()).isEqualTo(12);
        assertThat(parsed.loaderCalls()).isEqualTo(1);
        assertThat(parsed.lateMicros()).isEqualTo(412);
        assertThat(parsed.gcMillis()).isEqualTo(3);
        assertThat(parsed.firstLoadStartMicros()).isEqualTo(2100);
        assertThat(parsed.lastLoadEndMicros()).isEqualTo(202_500);
        assertThat(parsed.failures()).isZero();
        assertThat(parsed.coordinator()).isEqualTo(new CoordinatorStatistics(1, 3, 0, 0, 2));
        assertThat(parsed.waitMicros()).containsExactly(200_100, 200_900, 230_000);
    }

    @Test
    void an_answer_missing_a_field_is_refused() {
        assertThatThrownBy(() -> FleetProtocol.parseDone("done 3 calls=1 late=0 gc=0 load-from=-1 load-to=-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no failures=");
        assertThatThrownBy(() -> FleetProtocol.parseDone("ready 4242")).hasMessageContaining("not a done answer");
    }

    @Test
    void percentiles_are_by_nearest_rank() {
        long[] hundred = new long[100];
        for (int i = 0; i < hundred.length; i++) {
            hundred[i] = i + 1;
        }

        assertThat(FleetProtocol.percentile(hundred, 50)).isEqualTo(50);
        assertThat(FleetProtocol.percentile(hundred, 99)).isEqualTo(99);
        assertThat(FleetProtocol.percentile(hundred, 100)).isEqualTo(100);
        assertThat(FleetProtocol.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(FleetProtocol.percentile(new long[] {1, 2, 3, 4}, 50)).isEqualTo(2);
        // 1000 users: p99 is the 990th wait, so the 10 slowest users do not count
        long[] thousand = new long[1000];
        for (int i = 0; i < thousand.length; i++) {
            thousand[i] = i < 990 ? 200 : 900;
        }
        assertThat(FleetProtocol.percentile(thousand, 99)).isEqualTo(200);
        assertThatThrownBy(() -> FleetProtocol.percentile(new long[0], 50)).hasMessageContaining("no values");
    }

    @Test
    void the_report_pairs_each_huddle_round_with_the_caffeine_round_run_beside_it() {
        Fleet.Scenario scenario = new Fleet.Scenario(
                1,
                List.of(
                        round(Contender.HUDDLE, true, 900),
                        round(Contender.CAFFEINE, true, 300),
                        round(Contender.HUDDLE, false, 240),
                        round(Contender.CAFFEINE, false, 200),
                        round(Contender.CAFFEINE, false, 250),
                        round(Contender.HUDDLE, false, 250)));

        assertThat(Report.pairedP99Ratios(scenario)).containsExactly(1.2, 1.0);
    }

    @Test
    void a_spread_is_the_median_with_the_lowest_and_highest() {
        assertThat(Report.spread(new long[] {4, 4, 4}, Long::toString)).isEqualTo("4");
        assertThat(Report.spread(new long[] {5, 1, 3, 2, 4}, Long::toString)).isEqualTo("3 [1-5]");
        assertThat(Report.spread(new long[] {203_140, 210_000}, Report::plainMillis))
                .isEqualTo("203.1 [203.1-210.0]");
    }

    private static Fleet.Round round(Contender contender, boolean warmup, long p99Millis) {
        long[] waits = new long[100];
        Arrays.fill(waits, p99Millis * 1000);
        return new Fleet.Round(
                contender,
                1,
                0,
                warmup,
                1,
                0,
                0,
                0,
                new long[] {p99Millis * 1000},
                new long[] {p99Millis * 1000},
                0,
                0,
                CoordinatorStatistics.EMPTY,
                waits);
    }
}
