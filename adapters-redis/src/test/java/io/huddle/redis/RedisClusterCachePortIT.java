package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.Loaded;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.Invalidation;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.spi.UpstreamBudget.Priority;
import io.huddle.testkit.Eventually;
import io.huddle.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

@DisplayName("The Redis port keeps the port contract on a three-master Redis Cluster")
class RedisClusterCachePortIT extends RedisContractKit {
    private static final Duration LONG = Duration.ofMinutes(1);

    private static TestCluster cluster;

    private final String prefix = TestRedis.newPrefix();

    @BeforeAll
    static void startCluster() {
        Path binary = OwnedRedis.redisServerOnPath().orElse(null);
        Assumptions.assumeTrue(binary != null, "redis-server is not on the PATH: no Cluster to test against");
        cluster = TestCluster.start(binary, 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private RedisHuddle redis;

    @Override
    protected CachePort createPort(ManualClock clock) {
        redis = RedisHuddle.builder().cluster(cluster.nodes()).keyPrefix(prefix).build();
        return redis.cachePort();
    }

    @Test
    @DisplayName("two servers' upstream budgets of one name share one bucket on the Cluster")
    void upstreamBudget() {
        BudgetPlan plan = BudgetPlan.perMinute(60);
        UpstreamBudget first =
                redis.upstreamBudgetBuilder("cluster", plan).servers(2).build();
        try (RedisHuddle other =
                RedisHuddle.builder().cluster(cluster.nodes()).keyPrefix(prefix).build()) {
            UpstreamBudget second =
                    other.upstreamBudgetBuilder("cluster", plan).servers(2).build();
            int granted = 0;
            for (int i = 0; i < 10; i++) {
                granted += first.tryAcquire(Priority.USER, Duration.ZERO) ? 1 : 0;
                granted += second.tryAcquire(Priority.USER, Duration.ZERO) ? 1 : 0;
            }

            assertThat(granted).as("the plan's burst, for both").isEqualTo(plan.burst());
            assertThat(first.statistics().fallbackPermits()
                            + second.statistics().fallbackPermits())
                    .isZero();
        }
    }

    @Nested
    @DisplayName("with leases")
    class WithLeases {
        @Test
        @DisplayName("two servers on the Cluster load each of 20 keys, spread over every master, once")
        void oneLoadPerKey() throws Exception {
            AtomicInteger loads = new AtomicInteger();
            RedisHuddleBuilder onCluster =
                    RedisHuddle.builder().cluster(cluster.nodes()).keyPrefix(prefix);
            try (Servers servers = new Servers(2, onCluster, clock).usingRedis()) {
                List<Future<Optional<String>>> answers = servers.ask(20, user -> "key-" + user, id -> {
                    loads.incrementAndGet();
                    return Loaded.of("value of " + id);
                });

                for (int i = 0; i < answers.size(); i++) {
                    assertThat(Servers.answer(answers.get(i))).contains("value of key-" + i % 20);
                }
                assertThat(loads).as("one load per key, fenced writes included").hasValue(20);
                assertThat(servers.coordination().fallbacks()).isZero();
            }
        }

        @Test
        @DisplayName("invalidations between two servers on the Cluster arrive in order: no false loss")
        void busInOrder() throws Exception {
            try (RedisHuddle serverA = RedisHuddle.builder()
                            .cluster(cluster.nodes())
                            .keyPrefix(prefix)
                            .build();
                    RedisHuddle serverB = RedisHuddle.builder()
                            .cluster(cluster.nodes())
                            .keyPrefix(prefix)
                            .build()) {
                RedisInvalidationBus sending = (RedisInvalidationBus) serverA.invalidationBus();
                RedisInvalidationBus hearing = (RedisInvalidationBus) serverB.invalidationBus();
                assertThat(sending.awaitSubscribed(Duration.ofSeconds(10))).isTrue();
                assertThat(hearing.awaitSubscribed(Duration.ofSeconds(10))).isTrue();

                for (int i = 0; i < 200; i++) {
                    sending.publish(Invalidation.ofKey("server-a", key(WORDS, "w" + i)));
                }

                Eventually.await(
                        "all 200 heard",
                        Duration.ofSeconds(20),
                        () -> hearing.statistics().received() == 200);
                assertThat(hearing.statistics().lossesDetected())
                        .as("losses detected")
                        .isZero();
            }
        }

        @Test
        @DisplayName("invalidating a key deletes its lease too, on the master that holds both")
        void invalidationDeletesTheLease() {
            LoadCoordinator coordinator = redis.loadCoordinator();
            CacheKey key = key(WORDS, "held");
            LoadCoordinator.Claim claim = coordinator.claim(key);
            assertThat(claim.fence()).isPresent();

            port.invalidate(key);

            CacheEntry<String> entry = word("late");
            assertThat(port.putFenced(key, entry, LONG, claim.fence().orElseThrow()))
                    .as("the lease is gone: the late write is refused")
                    .isFalse();
            claim.complete(entry);
        }
    }

    @Nested
    @DisplayName("on every master")
    class OnEveryMaster {
        private final List<CacheKey> words =
                IntStream.range(0, 60).mapToObj(i -> key(WORDS, "w" + i)).toList();

        @Test
        @DisplayName("get many reads keys whose slots belong to different masters, in one call")
        void getAllAcrossSlots() {
            words.forEach(this::storeLong);

            Map<CacheKey, CacheEntry<?>> found = port.getAll(words);

            assertThat(words.stream()
                            .map(key -> cluster.masterOf(redisKey(key)))
                            .distinct())
                    .as("the keys spread over every master")
                    .hasSize(cluster.size());
            assertThat(found).containsOnlyKeys(words);
            words.forEach(
                    key -> assertThat(found.get(key).value().orElseThrow()).isEqualTo(key.id()));
        }

        @Test
        @DisplayName("invalidating a kind removes its keys from every master and leaves the other kinds")
        void invalidateKindOnEveryMaster() {
            words.forEach(this::storeLong);
            Instant now = clock.instant();
            port.put(
                    key(RECORDS, "r"),
                    CacheEntry.found(new KitValue("r", 1, List.of()), now, now.plusSeconds(60), now.plusSeconds(60), 1),
                    LONG);
            for (int i = 0; i < cluster.size(); i++) {
                assertThat(keysOn(i, WORDS.name()))
                        .as("words on master %d before", i)
                        .isPositive();
            }

            port.invalidateKind(WORDS);

            for (int i = 0; i < cluster.size(); i++) {
                assertThat(keysOn(i, WORDS.name()))
                        .as("words on master %d after", i)
                        .isZero();
            }
            assertThat(port.get(key(RECORDS, "r"))).isPresent();
            assertThat(port.statistics().entriesByKind()).containsExactly(Map.entry(RECORDS.name(), 1L));
        }

        /** Stored for longer than the kit's one-second keep-for: these tests are not about expiry. */
        private void storeLong(CacheKey key) {
            port.put(key, word(key.id()), LONG);
        }

        private String redisKey(CacheKey key) {
            return redis.keyOf(key);
        }

        /** Keys of the kind held by master {@code i} itself (SCAN is per node on a Cluster). */
        private int keysOn(int master, String kind) {
            try (Jedis node = cluster.master(master)) {
                return TestRedis.keysUnder(node::scan, prefix + ":" + CacheEntry.SCHEMA_VERSION + ":" + kind)
                        .size();
            }
        }
    }
}
