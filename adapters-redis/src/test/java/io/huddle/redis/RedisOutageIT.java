package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InProcessLoadCoordinator;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.testkit.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Redis stopped and started again under load")
class RedisOutageIT {
    private static final DataKind<String> PLAYERS = DataKind.of(
            "players",
            String.class,
            CachePolicy.builder(Duration.ofMinutes(1))
                    .loadTimeout(Duration.ofSeconds(30))
                    .build());
    private static final int THREADS = 8;
    private static final int COLD_CALLERS = 20;

    private final String prefix = TestRedis.newPrefix();
    private final AtomicLong answers = new AtomicLong();
    private final AtomicInteger loads = new AtomicInteger();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @Test
    @DisplayName("every call answers while Redis is down, single flight holds, and the same port reconnects")
    void outageAndReconnect() throws Exception {
        try (OwnedRedis redis = OwnedRedis.start()) {
            System.out.println("[huddle-test] Redis for the outage test: 127.0.0.1:" + redis.port + " (" + redis.kind()
                    + ", started, stopped and restarted by this test)");
            ClaimCounter coordinator = new ClaimCounter();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS + COLD_CALLERS);
            try (SharedCache serverA = SharedCache.builder(portOn(redis))
                            .coordinator(coordinator)
                            .build();
                    SharedCache serverB = SharedCache.builder(portOn(redis)).build()) {
                List<Future<?>> askers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    askers.add(threads.submit(() -> keepAsking(serverA)));
                }
                Eventually.await("200 answers with Redis up", Duration.ofSeconds(30), () -> answers.get() >= 200);

                redis.stop();
                long answeredAtStop = answers.get();
                Eventually.await(
                        "1000 more answers with Redis down",
                        Duration.ofSeconds(60),
                        () -> answers.get() >= answeredAtStop + 1000);
                assertThat(serverA.stats(PLAYERS).backendErrors()).isPositive();
                assertOneLoadForManyColdCallers(serverA, coordinator, threads);

                redis.restart();
                Eventually.await(
                        "a value loaded by server A after the restart is served by server B, and back",
                        Duration.ofSeconds(30),
                        () -> sharedAgain(serverA, serverB));

                running.set(false);
                for (Future<?> asker : askers) {
                    asker.get(30, TimeUnit.SECONDS);
                }
                assertThat(failures).as("calls that failed or answered wrongly").isEmpty();
                assertThat(answers.get()).isGreaterThan(answeredAtStop + 1000);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private CachePort portOn(OwnedRedis redis) {
        return RedisHuddle.builder()
                .standalone("127.0.0.1", redis.port)
                .keyPrefix(prefix)
                .build()
                .cachePort();
    }

    /** Asks for a few hot keys until told to stop; every answer must be the loader's value. */
    private void keepAsking(SharedCache cache) {
        Loader<String> loader = id -> {
            loads.incrementAndGet();
            return Loaded.of("v-" + id);
        };
        for (int i = 0; running.get(); i++) {
            String id = "hot-" + (i % 4);
            try {
                Optional<String> value = cache.get(PLAYERS, id, loader);
                if (!value.equals(Optional.of("v-" + id))) {
                    failures.add(new AssertionError(id + " answered " + value));
                }
                answers.incrementAndGet();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
    }

    /**
     * With Redis down, many callers of one cold key cost one load: the loader holds until every
     * caller has asked, so all of them are in the same wave.
     */
    private void assertOneLoadForManyColdCallers(SharedCache cache, ClaimCounter coordinator, ExecutorService threads)
            throws Exception {
        CacheKey cold = new CacheKey(PLAYERS, "cold");
        CountDownLatch everyoneAsked = coordinator.expectClaims(cold, COLD_CALLERS);
        AtomicInteger coldLoads = new AtomicInteger();
        Loader<String> slow = id -> {
            coldLoads.incrementAndGet();
            if (!everyoneAsked.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the cold callers never all asked");
            }
            return Loaded.of("v-cold");
        };
        List<Future<Optional<String>>> callers = new ArrayList<>();
        for (int i = 0; i < COLD_CALLERS; i++) {
            callers.add(threads.submit(() -> cache.get(PLAYERS, "cold", slow)));
        }
        for (Future<Optional<String>> caller : callers) {
            assertThat(caller.get(30, TimeUnit.SECONDS)).contains("v-cold");
        }
        assertThat(coldLoads)
                .as("loads for %d callers of one cold key", COLD_CALLERS)
                .hasValue(1);
    }

    /** Whether each server reads from Redis what the other just loaded, with no load of its own. */
    private static boolean sharedAgain(SharedCache serverA, SharedCache serverB) {
        String id = "after-restart-" + System.nanoTime();
        AtomicInteger reloads = new AtomicInteger();
        Loader<String> mustNotLoad = ignored -> {
            reloads.incrementAndGet();
            return Loaded.of("reloaded");
        };
        serverA.get(PLAYERS, id + "-a", key -> Loaded.of("from A"));
        serverB.get(PLAYERS, id + "-b", key -> Loaded.of("from B"));
        boolean bSeesA = serverB.get(PLAYERS, id + "-a", mustNotLoad).equals(Optional.of("from A"));
        boolean aSeesB = serverA.get(PLAYERS, id + "-b", mustNotLoad).equals(Optional.of("from B"));
        return bSeesA && aSeesB && reloads.get() == 0;
    }

    /** The in-process coordinator, counting the claims of one key so a test can hold a load. */
    private static final class ClaimCounter implements LoadCoordinator {
        private final LoadCoordinator delegate = new InProcessLoadCoordinator();
        private volatile CacheKey watched;
        private volatile CountDownLatch claimed = new CountDownLatch(0);

        CountDownLatch expectClaims(CacheKey key, int count) {
            claimed = new CountDownLatch(count);
            watched = key;
            return claimed;
        }

        @Override
        public Claim claim(CacheKey key) {
            Claim claim = delegate.claim(key);
            if (key.equals(watched)) {
                claimed.countDown();
            }
            return claim;
        }
    }
}
