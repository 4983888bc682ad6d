package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.UpstreamBudget.Priority;
import io.huddle.testkit.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Four servers' budgets on a Redis this test starts, stops and starts again (never one it did not
 * start), each server asking for permits as fast as it gets them. Time here is real time: the test
 * waits for it, by polling with a bound.
 */
@DisplayName("Four upstream budgets while their Redis stops and starts again")
class RedisBudgetOutageIT {
    /** 40 in any 2 s: a burst of 4, 35 back every 2 s; a share of four servers is 1 token, 35 every 8 s. */
    private static final BudgetPlan PLAN = BudgetPlan.of(40, Duration.ofSeconds(2));

    private static final int SERVERS = 4;
    private static final Duration SHARE_PER_PERIOD = Duration.ofSeconds(8).dividedBy(35);

    private final String prefix = TestRedis.newPrefix();
    private final Queue<Grant> grants = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    /** A permit one server got, at {@code nanos} of {@link System#nanoTime()}. */
    private record Grant(int server, long nanos) {}

    @Test
    @DisplayName("each falls back to its share (the fleet within the plan), then all go back to the shared bucket")
    void outage() throws Exception {
        try (OwnedRedis redis = OwnedRedis.start()) {
            System.out.println("[huddle-test] Redis for the budget outage test: 127.0.0.1:" + redis.port + " ("
                    + redis.kind() + ", started, stopped and restarted by this test)");
            List<RedisHuddle> ports = new ArrayList<>();
            List<RedisUpstreamBudget> budgets = new ArrayList<>();
            for (int i = 0; i < SERVERS; i++) {
                RedisHuddle port = RedisHuddle.builder()
                        .standalone("127.0.0.1", redis.port)
                        .keyPrefix(prefix)
                        .build();
                ports.add(port);
                budgets.add(port.upstreamBudgetBuilder("balldontlie", PLAN)
                        .heartbeat(Duration.ofMillis(200))
                        .buildRedisBudget());
            }
            ExecutorService servers = Executors.newFixedThreadPool(SERVERS);
            try {
                Eventually.await(
                        "every budget counts four servers",
                        Duration.ofSeconds(10),
                        () -> budgets.stream().allMatch(budget -> budget.servers() == SERVERS));
                List<Future<?>> askers = new ArrayList<>();
                for (int i = 0; i < SERVERS; i++) {
                    int server = i;
                    askers.add(servers.submit(() -> keepAsking(server, budgets.get(server))));
                }
                pause(Duration.ofSeconds(3));

                redis.stop();
                Eventually.await(
                        "every budget is on its share",
                        Duration.ofSeconds(10),
                        () -> budgets.stream().noneMatch(RedisUpstreamBudget::isUsingRedis));
                long fallbackFrom = System.nanoTime();
                pause(Duration.ofSeconds(4));
                long fallbackTo = System.nanoTime();
                long onShares = budgets.stream()
                        .mapToLong(budget -> budget.statistics().fallbackPermits())
                        .sum();

                redis.restart();
                Eventually.await(
                        "every budget is on the shared bucket again",
                        Duration.ofSeconds(30),
                        () -> budgets.stream().allMatch(RedisUpstreamBudget::isUsingRedis));
                long fallbackAfterReturn = fallbackPermits(budgets);
                long grantsAtReturn = grants.size();
                pause(Duration.ofSeconds(3));

                running.set(false);
                for (Future<?> asker : askers) {
                    asker.get(30, TimeUnit.SECONDS);
                }

                int allowed = PLAN.requests() - PLAN.headroom();
                System.out.printf(
                        "[huddle-test] budget outage: most in one %s: %d (plan %d); on the shares %.1f/s (plan %.1f/s);"
                                + " %d permits in the 3 s after the return%n",
                        PLAN.period(),
                        mostInOnePeriod(grants, -1, Long.MIN_VALUE, Long.MAX_VALUE),
                        PLAN.requests(),
                        grants.stream()
                                        .filter(g -> g.nanos() >= fallbackFrom && g.nanos() < fallbackTo)
                                        .count()
                                / ((fallbackTo - fallbackFrom) / 1e9),
                        allowed / 2.0,
                        grants.size() - grantsAtReturn);
                assertThat(mostInOnePeriod(grants, -1, Long.MIN_VALUE, Long.MAX_VALUE))
                        .as("the fleet's most permits in any %s, before, during and after the outage", PLAN.period())
                        .isLessThanOrEqualTo(PLAN.requests());
                for (int server = 0; server < SERVERS; server++) {
                    BudgetPlan.Bucket share = PLAN.share(SERVERS);
                    double perPeriod = share.capacity() + (double) PLAN.period().toNanos() / SHARE_PER_PERIOD.toNanos();
                    assertThat(mostInOnePeriod(grants, server, fallbackFrom, fallbackTo))
                            .as("server %d's most permits in one period on its share", server)
                            .isLessThanOrEqualTo((int) Math.ceil(perPeriod));
                    assertThat(budgets.get(server).statistics().fallbackPermits())
                            .isPositive();
                    assertThat(budgets.get(server).servers())
                            .as("the count seen before the outage")
                            .isEqualTo(SERVERS);
                }
                double fallbackSeconds = (fallbackTo - fallbackFrom) / 1e9;
                long duringFallback = grants.stream()
                        .filter(g -> g.nanos() >= fallbackFrom && g.nanos() < fallbackTo)
                        .count();
                assertThat(duringFallback / fallbackSeconds)
                        .as("permits a second on the shares, of the plan's %s", allowed / 2.0)
                        .isGreaterThan(allowed / 2.0 * 0.6)
                        .isLessThanOrEqualTo(allowed / 2.0 * 1.1);
                assertThat(onShares).isPositive();
                assertThat(fallbackPermits(budgets))
                        .as("no permit from the shares once back on the shared bucket")
                        .isEqualTo(fallbackAfterReturn);
                // the shared bucket was charged with what the shares gave in the last period: it gets
                // back to the plan's pace within about a period
                assertThat(grants.size() - grantsAtReturn)
                        .as("permits in the 3 s after the return")
                        .isGreaterThan(allowed / 2);
            } finally {
                running.set(false);
                servers.shutdownNow();
                ports.forEach(RedisHuddle::close);
            }
        }
    }

    private void keepAsking(int server, RedisUpstreamBudget budget) {
        while (running.get()) {
            if (budget.tryAcquire(Priority.USER, Duration.ofSeconds(1))) {
                grants.add(new Grant(server, System.nanoTime()));
            }
        }
    }

    private static long fallbackPermits(List<RedisUpstreamBudget> budgets) {
        return budgets.stream()
                .mapToLong(budget -> budget.statistics().fallbackPermits())
                .sum();
    }

    /** The most grants of the server (-1: of all) in any window of one period starting within [from, to). */
    private static int mostInOnePeriod(Queue<Grant> grants, int server, long from, long to) {
        List<Long> times = grants.stream()
                .filter(g -> server < 0 || g.server() == server)
                .map(Grant::nanos)
                .sorted()
                .toList();
        long period = PLAN.period().toNanos();
        int most = 0;
        for (int first = 0, last = 0; first < times.size(); first++) {
            if (times.get(first) < from || times.get(first) >= to) {
                continue;
            }
            last = Math.max(last, first);
            while (last < times.size() && times.get(last) - times.get(first) < period) {
                last++;
            }
            most = Math.max(most, last - first);
        }
        return most;
    }

    /** Real time passing while the servers ask: what this test is about. */
    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
