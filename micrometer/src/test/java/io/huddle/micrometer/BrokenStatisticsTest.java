package io.huddle.micrometer;

import static io.huddle.micrometer.MeteredCache.WORDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.ConcurrentStatsCounter;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.StatsCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Statistics that cannot be read never break a scrape")
class BrokenStatisticsTest {
    private final BreakableCounter counter = new BreakableCounter();
    private final MeteredCache metered = MeteredCache.withCounters(MeteredCache::prometheusRegistry, kind -> counter);

    @AfterEach
    void close() {
        metered.close();
    }

    private String scrape() {
        metered.later();
        return ((PrometheusMeterRegistry) metered.registry).scrape();
    }

    @Test
    @DisplayName("a cache whose statistics throw: the scrape answers, counters keep their last values, gauges read NaN")
    void cacheStatisticsThrow() {
        metered.cache.get(WORDS, "a", id -> Loaded.of("A"));
        assertThat(metered.count("huddle.cache.requests", WORDS, "result", "miss"))
                .isEqualTo(1);

        counter.broken = true;
        metered.cache.get(WORDS, "b", id -> Loaded.of("B"));

        String scrape = scrape();
        assertThat(scrape)
                .contains("huddle_cache_requests_total{cache=\"sports\",kind=\"words\",result=\"miss\"} 1.0")
                .contains("huddle_cache_entries{cache=\"sports\",kind=\"words\"} NaN");
        assertThat(metered.gauge("huddle.cache.entries", WORDS)).isNaN();

        counter.broken = false;
        assertThat(metered.count("huddle.cache.requests", WORDS, "result", "miss"))
                .as("once readable again, the counter catches up")
                .isEqualTo(2);
        assertThat(metered.gauge("huddle.cache.entries", WORDS)).isEqualTo(2);
    }

    @Test
    @DisplayName("statistics that throw from the start read zero, and the requests go on")
    void brokenFromTheStart() {
        counter.broken = true;

        assertThat(metered.cache.get(WORDS, "a", id -> Loaded.of("A"))).contains("A");

        assertThat(scrape())
                .contains("huddle_cache_requests_total{cache=\"sports\",kind=\"words\",result=\"miss\"} 0.0");
    }

    @Test
    @DisplayName("a coordinator whose statistics throw: its counters keep their last values, the cache's are read")
    void coordinatorStatisticsThrow() {
        metered.cache.get(WORDS, "a", id -> Loaded.of("A"));
        assertThat(metered.cacheCount("huddle.coordinator.leases.taken")).isEqualTo(1);

        metered.coordinator.failing = true;
        metered.cache.get(WORDS, "b", id -> Loaded.of("B"));

        assertThat(scrape())
                .contains("huddle_coordinator_leases_taken_total{cache=\"sports\"} 1.0")
                .contains("huddle_cache_requests_total{cache=\"sports\",kind=\"words\",result=\"miss\"} 2.0");
    }

    /** The default counter, whose snapshot can be made to throw, as a broken plug-in's would. */
    private static final class BreakableCounter implements StatsCounter {
        private final StatsCounter counts = new ConcurrentStatsCounter();
        volatile boolean broken;

        @Override
        public CacheStatistics snapshot() {
            if (broken) {
                throw new IllegalStateException("this counter cannot be read");
            }
            return counts.snapshot();
        }

        @Override
        public void recordRequests(int count) {
            counts.recordRequests(count);
        }

        @Override
        public void recordHit(int cost) {
            counts.recordHit(cost);
        }

        @Override
        public void recordNegativeHit(int cost) {
            counts.recordNegativeHit(cost);
        }

        @Override
        public void recordStale(int cost) {
            counts.recordStale(cost);
        }

        @Override
        public void recordCoalescedWait(int cost) {
            counts.recordCoalescedWait(cost);
        }

        @Override
        public void recordMiss() {
            counts.recordMiss();
        }

        @Override
        public void recordLoadStarted() {
            counts.recordLoadStarted();
        }

        @Override
        public void recordLoadSuccess(long loadNanos, long upstreamCalls) {
            counts.recordLoadSuccess(loadNanos, upstreamCalls);
        }

        @Override
        public void recordLoadFailure(long loadNanos) {
            counts.recordLoadFailure(loadNanos);
        }

        @Override
        public void recordBackendError() {
            counts.recordBackendError();
        }

        @Override
        public void recordFailSafeThrottled() {
            counts.recordFailSafeThrottled();
        }

        @Override
        public void recordRefreshesSkipped(int count) {
            counts.recordRefreshesSkipped(count);
        }

        @Override
        public void recordLoadAbandoned() {
            counts.recordLoadAbandoned();
        }

        @Override
        public void recordWarmLoad() {
            counts.recordWarmLoad();
        }

        @Override
        public void recordPrefetchStarted() {
            counts.recordPrefetchStarted();
        }

        @Override
        public void recordPrefetchUsed() {
            counts.recordPrefetchUsed();
        }

        @Override
        public void recordPrefetchUnused() {
            counts.recordPrefetchUnused();
        }

        @Override
        public void recordAheadSkippedFull() {
            counts.recordAheadSkippedFull();
        }

        @Override
        public void recordAheadSwitchedOff() {
            counts.recordAheadSwitchedOff();
        }

        @Override
        public void recordSkippedForBudget() {
            counts.recordSkippedForBudget();
        }
    }
}
