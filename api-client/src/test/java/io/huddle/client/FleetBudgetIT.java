package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.redis.FoundRedis;
import io.huddle.redis.RedisHuddle;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.UpstreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;

/**
 * Four servers on one API key, each its own engine, Redis port and client, against one simulated
 * provider that counts its plan per key in windows of 4 s (a minute would make this test slow),
 * with users on every server asking for items nobody has asked for before, as fast as they can,
 * over real HTTP and a real Redis.
 */
@DisplayName("Four servers sharing one API key")
class FleetBudgetIT {
    /**
     * The provider's plan: 40 requests in any 4 s. The budget leaves 3 of them unused (the bucket lets
     * 37 through in any 4 s), for requests that reach the provider later than they took their permit:
     * with time compressed fifteenfold, the default headroom of one request would cover only a tenth
     * of a second of such lateness on a busy two-core machine.
     */
    private static final BudgetPlan PLAN =
            BudgetPlan.of(40, Duration.ofSeconds(4)).withHeadroom(3);

    private static final DataKind<Integer> ITEMS = DataKind.of(
            "fleet-items",
            Integer.class,
            CachePolicy.builder(Duration.ofMinutes(5))
                    .loadTimeout(Duration.ofSeconds(30))
                    .build());
    private static final int SERVERS = 4;
    private static final int USERS_EACH = 4;
    private static final String API_KEY = "fleet-key-do-not-log";

    private static FoundRedis redis;

    private final String prefix = "huddle-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong nextItem = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @BeforeAll
    static void findRedis() {
        redis = FoundRedis.find();
        System.out.println("[huddle-test] Redis: " + redis.description());
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    @DisplayName(
            "with one budget in Redis they stay within the plan in every window, get no 429, and get about the plan")
    void sharedBudget() throws Exception {
        List<RedisHuddle> ports = new ArrayList<>();
        Run run = run(Duration.ofSeconds(12), server -> {
            RedisHuddle port =
                    RedisHuddle.builder().uri(redis.uri()).keyPrefix(prefix).build();
            ports.add(port);
            return port.upstreamBudget("balldontlie", PLAN);
        });
        try {
            System.out.printf(
                    "[huddle-test] four servers, one Redis budget: %d accepted in 12 s, most %d in one window of %s"
                            + " (plan %d), %d 429s, per server %s, refused without a request %d%n",
                    run.accepted,
                    run.mostInAWindow,
                    PLAN.period(),
                    PLAN.requests(),
                    run.rateLimited,
                    run.perServer,
                    run.refusedByBudgets);

            assertThat(run.rateLimited).as("429s").isZero();
            assertThat(run.mostInAWindow).as("the most accepted in one window").isLessThanOrEqualTo(PLAN.requests());
            // a burst, then the refill of three periods: about the plan, not four times it
            long plan = PLAN.burst() + 3 * PLAN.bucket().refillTokens();
            assertThat(run.accepted).as("accepted in three periods").isBetween(plan * 8 / 10, plan + PLAN.requests());
            assertThat(run.perServer)
                    .as("each server had a part")
                    .allSatisfy(part -> assertThat(part).isPositive());
            assertThat(run.refusedByBudgets)
                    .as("users refused by the budget, without a request")
                    .isPositive();
        } finally {
            ports.forEach(RedisHuddle::close);
            deletePrefix();
        }
    }

    @Test
    @DisplayName("each with a budget of its own sized to the whole plan, as before, they exceed it and get 429s")
    void budgetEach() throws Exception {
        Run run = run(Duration.ofSeconds(4), server -> null);

        System.out.printf(
                "[huddle-test] four servers, a budget each: %d accepted in 4 s, %d 429s%n",
                run.accepted, run.rateLimited);
        assertThat(run.rateLimited).as("429s").isPositive();
        assertThat(run.mostInAWindow).as("the provider's limit, reached").isEqualTo(PLAN.requests());
    }

    /** What the simulator and the budgets counted in one run. */
    private record Run(
            long accepted, long rateLimited, int mostInAWindow, List<Long> perServer, long refusedByBudgets) {}

    /**
     * Runs four servers for the given time; each server's client takes the budget {@code budgetOf}
     * gives, or (null) one of its own of the plan's requests a minute scaled to the window.
     */
    private Run run(Duration duration, Function<Integer, UpstreamBudget> budgetOf) throws Exception {
        try (UpstreamSimulator sim = UpstreamSimulator.builder()
                .rateLimitPerMinute(PLAN.requests())
                .rateWindow(PLAN.period())
                .apiKey(API_KEY)
                .build()
                .start()) {
            List<SharedCache> engines = new ArrayList<>();
            List<BalldontlieClient> clients = new ArrayList<>();
            ExecutorService users = Executors.newFixedThreadPool(SERVERS * USERS_EACH);
            try {
                for (int server = 0; server < SERVERS; server++) {
                    UpstreamBudget budget = budgetOf.apply(server);
                    BalldontlieClient.Builder client = BalldontlieClient.builder(sim.baseUrl(), API_KEY)
                            .maxWaitForPermit(Duration.ofMillis(500))
                            .maxAttempts(1);
                    // without a shared budget: the old way, each server sized to the whole plan
                    clients.add((budget == null
                                    ? client.requestsPerMinute((int) (PLAN.requests()
                                            * Duration.ofMinutes(1).toNanos()
                                            / PLAN.period().toNanos()))
                                    : client.budget(budget))
                            .build());
                    engines.add(SharedCache.builder(new InMemoryCachePort()).build());
                }
                List<Future<Long>> answered = new ArrayList<>();
                for (int server = 0; server < SERVERS; server++) {
                    SharedCache engine = engines.get(server);
                    BalldontlieClient client = clients.get(server);
                    for (int user = 0; user < USERS_EACH; user++) {
                        answered.add(users.submit(() -> keepAsking(engine, client)));
                    }
                }
                Thread.sleep(duration.toMillis()); // real time: the provider's windows are real time
                running.set(false);
                List<Long> perServer = new ArrayList<>();
                for (int server = 0; server < SERVERS; server++) {
                    long sum = 0;
                    for (int user = 0; user < USERS_EACH; user++) {
                        sum += answered.get(server * USERS_EACH + user).get(30, TimeUnit.SECONDS);
                    }
                    perServer.add(sum);
                }
                long refused = clients.stream()
                        .mapToLong(client -> client.budget().statistics().refused())
                        .sum();
                return new Run(
                        sim.calls().accepted(),
                        sim.calls().rateLimited(),
                        sim.maxAcceptedInAnyMinute(),
                        perServer,
                        refused);
            } finally {
                running.set(false);
                users.shutdownNow();
                engines.forEach(SharedCache::close);
            }
        }
    }

    /** Asks for new items until told to stop; how many were answered. */
    private long keepAsking(SharedCache engine, BalldontlieClient client) {
        long answered = 0;
        while (running.get()) {
            String item = Long.toString(nextItem.incrementAndGet());
            try {
                engine.get(ITEMS, item, id -> Loaded.of(client.teams().size()));
                answered++;
            } catch (CacheLoadException e) {
                if (!(e.getCause() instanceof UpstreamException.RateLimited)) {
                    throw e;
                }
                pauseBeforeAskingAgain();
            }
        }
        return answered;
    }

    /** A user told "not now" asks again a little later, not in a tight loop. */
    private static void pauseBeforeAskingAgain() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deletePrefix() {
        try (UnifiedJedis client = RedisClient.create(redis.uri())) {
            List<String> keys = new ArrayList<>();
            ScanParams match = new ScanParams().match(prefix + ":*").count(500);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                var page = client.scan(cursor, match);
                keys.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            if (!keys.isEmpty()) {
                client.unlink(keys.toArray(String[]::new));
            }
        }
    }
}
