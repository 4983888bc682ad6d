package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.SharedCache;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.tiered.TieredCachePort;
import io.huddle.redis.FoundRedis;
import io.huddle.redis.RedisHuddle;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Season;
import io.huddle.sports.SportsKinds;
import io.huddle.sports.SportsStatsService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The API key through the whole stack on Redis: a server's engine with the lease coordinator, the
 * invalidation bus and the fleet budget, its loads failing in every way the simulator can fail them.
 * A load that fails publishes its failure on the lease channel for the other servers: the key must
 * not be in it, nor in any log line.
 */
@DisplayName("The API key never reaches Redis or the log, whatever the upstream does")
class CanaryOnRedisIT {
    private static final String CANARY = "canary-4d9e21b7-0a5c-4f1e-8b3d-77c2a9e6f510";

    private static FoundRedis redis;

    private final String prefix = "huddle-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();

    @BeforeAll
    static void findRedis() {
        redis = FoundRedis.find();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    @DisplayName("failed loads, their lease messages, invalidations and the log hold no trace of the key")
    void keyStaysOut() throws Exception {
        String printed;
        try (UnifiedJedis listener = RedisClient.create(redis.uri());
                Listening listening = new Listening(listener)) {
            printed = CanaryTest.capturingEverythingPrinted(this::failEveryWay);
        } finally {
            try (UnifiedJedis cleaner = RedisClient.create(redis.uri())) {
                cleaner.keys(prefix + "*").forEach(cleaner::del);
            }
        }

        assertThat(published.stream().filter(message -> message.startsWith("failed")))
                .as("the failed loads announced on the lease channel")
                .hasSizeGreaterThanOrEqualTo(5);
        assertThat(published).noneMatch(message -> message.contains(CANARY) || message.contains("4d9e21b7"));
        assertThat(failures).as("every fault failed its ask").hasSize(7);
        for (Throwable failure : failures) {
            for (Throwable link = failure; link != null; link = link.getCause()) {
                assertThat(String.valueOf(link.getMessage()) + link)
                        .doesNotContain(CANARY)
                        .doesNotContain("4d9e21b7");
            }
        }
        assertThat(printed).as("the log was captured").contains("Huddle cache on");
        assertThat(printed).doesNotContain(CANARY).doesNotContain("4d9e21b7");
    }

    private void failEveryWay() {
        try (UpstreamSimulator sim = UpstreamSimulator.builder()
                        .apiKey(CANARY)
                        .rateLimitPerMinute(0)
                        .build()
                        .start();
                RedisHuddle port =
                        RedisHuddle.builder().uri(redis.uri()).keyPrefix(prefix).build()) {
            BalldontlieClient client = BalldontlieClient.builder(sim.baseUrl(), CANARY + "\n")
                    .budget(port.upstreamBudget("canary", BudgetPlan.perMinute(6_000)))
                    .requestTimeout(Duration.ofSeconds(2))
                    .maxAttempts(1)
                    .maxWaitForPermit(Duration.ofMillis(50))
                    .maxBodyBytes(64 * 1024)
                    .build();
            SharedCache cache = SharedCache.builder(TieredCachePort.builder(new InMemoryCachePort(), port.cachePort())
                            .build())
                    .coordinator(port.loadCoordinator())
                    .invalidationBus(port.invalidationBus())
                    .build();
            SportsStatsService service = new SportsStatsService(cache, client, Season.of(2024));

            service.findPlayer("Myles Garrett"); // a load that succeeds: its write is announced on the bus
            cache.invalidateAll(SportsKinds.PLAYER_ID);
            fail(service, "Josh Allen", sim, simulator -> simulator.failNext(1, 503));
            fail(service, "Lamar Jackson", sim, simulator -> simulator.hangNext(1));
            fail(service, "Patrick Mahomes", sim, simulator -> simulator.dripNext(1, 10));
            fail(service, "Joe Burrow", sim, simulator -> simulator.malformedNext(1));
            fail(service, "Justin Jefferson", sim, simulator -> simulator.hugeNext(1, 1_000_000));
            fail(service, "Micah Parsons", sim, simulator -> simulator.rateLimitNext(1, "86400"));
            cache.close();
        }
        try (UpstreamSimulator other = UpstreamSimulator.builder()
                        .apiKey("another-key")
                        .build()
                        .start();
                RedisHuddle port =
                        RedisHuddle.builder().uri(redis.uri()).keyPrefix(prefix).build()) {
            BalldontlieClient refused = BalldontlieClient.builder(other.baseUrl(), CANARY)
                    .budget(port.upstreamBudget("canary", BudgetPlan.perMinute(6_000)))
                    .build();
            SharedCache cache = SharedCache.builder(port.cachePort())
                    .coordinator(port.loadCoordinator())
                    .build();
            fail(new SportsStatsService(cache, refused, Season.of(2024)), "T.J. Watt", other, s -> {});
            cache.close();
        }
        awaitQuiet();
    }

    /** Arms the fault, asks for a name nobody asked before (a load), and keeps what the ask threw. */
    private void fail(
            SportsStatsService service, String name, UpstreamSimulator sim, Consumer<UpstreamSimulator> fault) {
        fault.accept(sim);
        try {
            service.findPlayer(name);
        } catch (RuntimeException expected) {
            failures.add(expected);
            return;
        }
        throw new AssertionError("looking up " + name + " should have failed");
    }

    /** Gives the lease channel's last messages time to arrive. */
    private void awaitQuiet() {
        int before;
        do {
            before = published.size();
            try {
                TimeUnit.MILLISECONDS.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (published.size() != before);
    }

    /** Every message on the test's channels, as Redis carries it. */
    private final class Listening implements AutoCloseable {
        private final JedisPubSub pubSub = new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
                published.add(message);
            }

            @Override
            public void onPSubscribe(String pattern, int subscribedChannels) {
                subscribed.countDown();
            }
        };
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private final Thread thread;

        Listening(UnifiedJedis client) throws InterruptedException {
            thread = new Thread(() -> client.psubscribe(pubSub, prefix + "*"), "canary-listener");
            thread.setDaemon(true);
            thread.start();
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws InterruptedException {
            pubSub.punsubscribe();
            thread.join(5_000);
        }
    }
}
