package io.huddle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.benchmarks.FaultsProtocol.EventKind;
import io.huddle.benchmarks.FaultsProtocol.UpstreamEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault run's bookkeeping: windows, needless requests, answer times, settings. Nothing is timed. */
class FaultsAnalysisTest {
    private static final long T0 = 1_733_000_000_000L;

    @Test
    void the_most_requests_in_a_window_count_only_windows_ending_in_the_phase_but_reach_back_before_it() {
        // 5 requests in the first second, 1 at 30 s, 3 at 61.5 s (the first second's have left the window)
        long[] times = {T0, T0 + 100, T0 + 200, T0 + 300, T0 + 400, T0 + 30_000, T0 + 61_500, T0 + 61_500, T0 + 61_600};

        assertThat(FaultsAnalysis.maxInWindow(times, 60_000, T0, T0 + 20_000)).isEqualTo(5);
        // the phase from 20 s to 40 s holds one request, whose window reaches back to the first five
        assertThat(FaultsAnalysis.maxInWindow(times, 60_000, T0 + 20_000, T0 + 40_000))
                .isEqualTo(6);
        assertThat(FaultsAnalysis.maxInWindow(times, 60_000, T0 + 60_000, T0 + 80_000))
                .isEqualTo(4);
        assertThat(FaultsAnalysis.maxInWindow(times, 60_000, T0 + 40_000, T0 + 60_000))
                .isZero();
    }

    @Test
    void a_request_exactly_a_window_earlier_is_outside_the_window() {
        long[] times = {T0, T0 + 60_000};

        assertThat(FaultsAnalysis.maxInWindow(times, 60_000, T0, T0 + 120_000)).isEqualTo(1);
        assertThat(FaultsAnalysis.maxInWindow(new long[] {T0, T0 + 59_999}, 60_000, T0, T0 + 120_000))
                .isEqualTo(2);
    }

    @Test
    void requests_in_one_millisecond_all_count_in_its_window() {
        long[] times = {T0, T0, T0, T0 + 1};

        assertThat(FaultsAnalysis.maxInWindow(times, 60_000, T0, T0 + 1)).isEqualTo(3);
    }

    @Test
    void a_request_for_an_item_another_server_loaded_within_its_shortest_freshness_was_needless() {
        List<UpstreamEvent> events = List.of(
                request(0, 0, "stats-1"),
                loaded(0, 80, "stats-1"),
                // stats fresh for 30 s less 10%: 27 s
                request(1, 20_000, "stats-1"), // held fresh by server 0
                request(2, 27_100, "stats-1"), // past the shortest freshness: due
                request(3, 26_000, "name-1"), // never loaded before
                loaded(3, 26_100, "name-1"),
                request(0, 26_100, "name-1")); // same millisecond as the load: not yet held

        List<FaultsAnalysis.HeldFresh> needless = FaultsAnalysis.needless(
                events, item -> item.startsWith("stats-") ? Duration.ofSeconds(30) : Duration.ofHours(24), 0.1);

        assertThat(needless).singleElement().satisfies(held -> {
            assertThat(held.request().server()).isEqualTo(1);
            assertThat(held.item()).isEqualTo("stats-1");
            assertThat(held.loaded().server()).isZero();
        });
    }

    @Test
    void a_batch_is_needless_when_any_of_its_items_was_held_fresh() {
        List<UpstreamEvent> events =
                List.of(loaded(0, 0, "stats-1"), request(1, 1000, "stats-2", "stats-1"), loaded(1, 1100, "stats-1"));

        assertThat(FaultsAnalysis.needless(events, item -> Duration.ofSeconds(30), 0.1))
                .singleElement()
                .satisfies(held -> assertThat(held.item()).isEqualTo("stats-1"));
    }

    @Test
    void the_last_load_before_a_request_is_of_one_of_its_items_and_earlier() {
        UpstreamEvent early = loaded(0, 100, "stats-1");
        UpstreamEvent later = loaded(2, 200, "stats-2", "stats-1");
        UpstreamEvent request = request(1, 300, "stats-1");
        List<UpstreamEvent> events =
                List.of(early, later, loaded(3, 250, "stats-4"), request, loaded(1, 400, "stats-1"));

        assertThat(FaultsAnalysis.lastLoadBefore(events, request)).contains(later);
        assertThat(FaultsAnalysis.lastLoadBefore(events, request(0, 50, "stats-1")))
                .isEmpty();
    }

    @Test
    void request_times_leave_out_the_loads() {
        List<UpstreamEvent> events = List.of(
                request(0, 500, "name-1"),
                loaded(0, 600, "name-1"),
                new UpstreamEvent(1, EventKind.LONG_TAIL_REQUEST, T0 + 100, List.of()));

        assertThat(FaultsAnalysis.requestTimes(events)).containsExactly(T0 + 100, T0 + 500);
        assertThat(FaultsAnalysis.count(events, EventKind.POPULAR_REQUEST, T0, T0 + 501))
                .isEqualTo(1);
        assertThat(FaultsAnalysis.count(events, EventKind.POPULAR_REQUEST, T0, T0 + 500))
                .isZero();
    }

    @Test
    void an_answer_time_lands_in_a_bucket_whose_bound_is_at_most_a_quarter_above_it() {
        for (long micros : new long[] {1, 2, 3, 7, 100, 1234, 99_999, 5_000_000, 120_000_000}) {
            long bound = LatencyHistogram.upperBound(LatencyHistogram.bucketOf(micros));
            assertThat(bound).isGreaterThanOrEqualTo(micros);
            assertThat((double) bound).isLessThanOrEqualTo(Math.max(2, micros * LatencyHistogram.GROWTH));
        }
        assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    void histogram_percentiles_never_exceed_the_longest_answer_and_histograms_add_up() {
        LatencyHistogram fast = new LatencyHistogram();
        for (int i = 0; i < 99; i++) {
            fast.record(1000);
        }
        LatencyHistogram slow = new LatencyHistogram();
        slow.record(4_000_000);

        LatencyHistogram.Snapshot all = fast.snapshot().plus(slow.snapshot());

        assertThat(all.total()).isEqualTo(100);
        assertThat(all.percentile(50)).isBetween(1000L, 1250L);
        assertThat(all.percentile(99)).isBetween(1000L, 1250L);
        assertThat(all.percentile(100)).isEqualTo(4_000_000);
        assertThat(all.maxMicros()).isEqualTo(4_000_000);
        assertThat(LatencyHistogram.Snapshot.parse(all.format())).isEqualTo(all);
        assertThat(LatencyHistogram.Snapshot.EMPTY.percentile(99)).isZero();
    }

    @Test
    void the_long_tail_share_gives_the_asked_rate_across_the_fleet() {
        Faults.Settings settings = Faults.Settings.of(Duration.ofSeconds(20));

        // 1000 users asking every 0.5 s on average: 2000 questions a second, 1 of them long-tail
        assertThat(Faults.longTailShare(settings)).isCloseTo(0.0005, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void the_popular_comparisons_are_every_pair_of_the_named_players() {
        assertThat(Faults.popularPairs())
                .hasSize(21)
                .allSatisfy(pair -> assertThat(pair.get(0)).isNotEqualTo(pair.get(1)));
        assertThat(Faults.POPULAR)
                .extracting(Faults.PopularPlayer::searchWord)
                .containsExactly("mahomes", "allen", "jackson", "jefferson", "parsons", "watt", "garrett");
    }

    @Test
    void a_stats_item_has_the_run_s_stats_ttl_and_a_name_the_sports_default() {
        Faults.Settings settings = Faults.Settings.of(Duration.ofSeconds(20));

        assertThat(settings.ttlOf("stats-3")).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.ttlOf("name-3")).isEqualTo(Duration.ofHours(24));
    }

    private static UpstreamEvent request(int server, long atMillis, String... items) {
        return new UpstreamEvent(server, EventKind.POPULAR_REQUEST, T0 + atMillis, List.of(items));
    }

    private static UpstreamEvent loaded(int server, long atMillis, String... items) {
        return new UpstreamEvent(server, EventKind.POPULAR_LOADED, T0 + atMillis, List.of(items));
    }
}
