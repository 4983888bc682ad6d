package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.bucket4j.BucketPermits;
import io.huddle.core.api.AheadResult;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.redis.ManualTime;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Player;
import io.huddle.sports.SportsAhead;
import io.huddle.sports.SportsKinds;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Warming and prefetch over the real client: ahead of users, on spare budget only")
class WarmingAndPrefetchTest {

    private static SportsAhead ahead(SimulatedStack stack, SportsAhead.Builder settings) {
        return settings.clock(stack.clock).executor(Runnable::run).build();
    }

    @Test
    @DisplayName("the popular players are loaded before the first user, who then costs no upstream call")
    void popularBeforeFirstUser() {
        try (SimulatedStack stack = SimulatedStack.startLoadingOnCallingThread(true);
                SportsAhead ahead = ahead(stack, SportsAhead.builder(stack.service))) {
            assertThat(ahead.runOnce()).containsEntry(AheadResult.STARTED, 6);
            long before = stack.calls();

            assertThat(stack.service.seasonStats("Patrick Mahomes")).isPresent();
            assertThat(stack.service.seasonStats("Micah Parsons")).isPresent();

            assertThat(stack.calls()).isEqualTo(before);
            CacheStatistics stats = stack.cache.stats(SportsKinds.PLAYER_STATS);
            assertThat(stats.warmLoads()).isEqualTo(6);
            assertThat(stats.hits()).isEqualTo(2);
            assertThat(stats.misses()).isZero();
        }
    }

    @Test
    @DisplayName("comparing Micah Parsons prefetches his related players, and the next question is a hit")
    void comparedPairPrefetchesRelated() {
        try (SimulatedStack stack = SimulatedStack.startLoadingOnCallingThread(true);
                SportsAhead ahead = ahead(
                        stack,
                        SportsAhead.builder(stack.service).popular(List.of()).teammates(false))) {
            stack.service.compare("Micah Parsons", "Josh Allen", SimulatedStack.SEASON, "session-1");
            long before = stack.calls();

            assertThat(stack.service.seasonStats("T.J. Watt", "session-1")).isPresent();

            assertThat(stack.calls()).as("T.J. Watt was prefetched").isEqualTo(before);
            CacheStatistics stats = stack.cache.stats(SportsKinds.PLAYER_STATS);
            assertThat(stats.prefetchesStarted()).isPositive();
            assertThat(stats.prefetchesUsed()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("asking about a player prefetches his teammates at his position: the next question about one is a hit")
    void teammatesPrefetched() {
        try (SimulatedStack stack = SimulatedStack.startLoadingOnCallingThread(true);
                SportsAhead ahead =
                        ahead(stack, SportsAhead.builder(stack.service).popular(List.of()))) {
            Player allen = stack.service.findPlayer("Josh Allen");
            List<Player> quarterbacks =
                    stack.service.roster(allen.teamId(), SimulatedStack.SEASON).orElseThrow().players().stream()
                            .filter(p -> p.position().equals(allen.position()) && !p.id().equals(allen.id()))
                            .toList();
            assertThat(quarterbacks).isNotEmpty();

            stack.service.seasonStats("Josh Allen", "session-1");
            long before = stack.calls();
            for (Player backup : quarterbacks) {
                assertThat(stack.service.seasonStats(backup.fullName(), "session-1"))
                        .isPresent();
            }

            assertThat(stack.calls())
                    .as("his teammates at quarterback were prefetched")
                    .isEqualTo(before);
            CacheStatistics stats = stack.cache.stats(SportsKinds.PLAYER_STATS);
            assertThat(stats.prefetchesUsed()).isEqualTo(quarterbacks.size());
        }
    }

    @Test
    @DisplayName("with teammates switched off, a teammate nobody asked about before is not prefetched")
    void teammatesOff() {
        try (SimulatedStack stack = SimulatedStack.startLoadingOnCallingThread(true);
                SportsAhead ahead = ahead(
                        stack,
                        SportsAhead.builder(stack.service).popular(List.of()).teammates(false))) {
            Player allen = stack.service.findPlayer("Josh Allen");
            Player backup = stack.service.roster(allen.teamId(), SimulatedStack.SEASON).orElseThrow().players().stream()
                    .filter(p -> p.position().equals(allen.position()) && !p.id().equals(allen.id()))
                    .findFirst()
                    .orElseThrow();

            stack.service.seasonStats("Josh Allen", "session-1");
            long before = stack.calls();
            assertThat(stack.service.seasonStats(backup.fullName(), "session-1"))
                    .isPresent();

            assertThat(stack.calls()).as("the backup was loaded for the user").isGreaterThan(before);
            assertThat(stack.cache.stats(SportsKinds.PLAYER_STATS).prefetchesStarted())
                    .isZero();
        }
    }

    @Test
    @DisplayName("with the budget nearly spent, warming takes nothing of the reserve and a user gets the next permit")
    void budgetNearlySpent() {
        ManualTime time = new ManualTime(new ManualClock());
        // a burst of 2, one of them the reserve
        UpstreamBudget budget = BucketPermits.inProcessBudget(BudgetPlan.perMinute(20), time, time);
        try (SimulatedStack stack = SimulatedStack.start(
                        true,
                        sim -> sim,
                        client -> client.budget(budget)
                                .maxWaitForPermit(Duration.ZERO)
                                .maxAttempts(1));
                SportsAhead ahead = ahead(stack, SportsAhead.builder(stack.service))) {
            ahead.runOnce();

            BudgetStatistics spent = budget.statistics();
            assertThat(spent.backgroundPermits())
                    .as("only what is above the reserve")
                    .isEqualTo(1);
            assertThat(spent.userPermits()).isZero();
            assertThat(ahead.counts().skippedForBudget()).isPositive();
            assertThat(ahead.counts().targetFailures()).isZero();

            assertThat(stack.service.teams()).as("the user gets the reserve").hasSize(32);
            assertThat(budget.statistics().userPermits()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a name two players share, or nobody has, is nothing to load ahead: no load, no failure")
    void ambiguousOrUnknownNameSkipped() {
        try (SimulatedStack stack = SimulatedStack.startLoadingOnCallingThread(true);
                SportsAhead ahead = ahead(
                        stack,
                        SportsAhead.builder(stack.service)
                                .popular(List.of(UpstreamSimulator.SHARED_NAME, "Nobody Atall", "Josh Allen")))) {
            assertThat(ahead.runOnce())
                    .containsEntry(AheadResult.NOTHING_TO_LOAD, 2)
                    .containsEntry(AheadResult.STARTED, 1);
            assertThat(ahead.counts().targetFailures()).isZero();
            assertThat(stack.cache.stats(SportsKinds.PLAYER_STATS).warmLoads()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("switched off in the statistics' policy, nothing is loaded ahead")
    void switchedOff() {
        try (SimulatedStack stack = SimulatedStack.start(
                        true,
                        sim -> sim,
                        client -> client,
                        engine -> engine.loadExecutor(Runnable::run)
                                .policy(
                                        SportsKinds.PLAYER_STATS,
                                        SportsKinds.PLAYER_STATS.defaultPolicy().toBuilder()
                                                .warming(false)
                                                .prefetching(false)
                                                .build()));
                SportsAhead ahead = ahead(stack, SportsAhead.builder(stack.service))) {
            assertThat(ahead.runOnce()).containsEntry(AheadResult.SWITCHED_OFF, 6);
            stack.service.seasonStats("Micah Parsons", "session-1");

            assertThat(stack.cache.stats(SportsKinds.PLAYER_STATS).loads())
                    .as("the user's statistics only")
                    .isEqualTo(1);
            assertThat(stack.cache.stats(SportsKinds.PLAYER_SEARCH).loads())
                    .as("the user's name only")
                    .isEqualTo(1);
            assertThat(stack.cache.stats(SportsKinds.PLAYER_STATS).prefetchesStarted())
                    .isZero();
        }
    }
}
