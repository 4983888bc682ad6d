package io.huddle.redis;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loader;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.testkit.Eventually;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Engines standing for separate servers: each has its own Redis client (its own port), its own lease
 * coordinator made from it, and its own threads; they share only the Redis and the key prefix.
 */
final class Servers implements AutoCloseable {
    static final DataKind<String> PLAYERS = DataKind.of(
            "players",
            String.class,
            CachePolicy.builder(Duration.ofMinutes(5))
                    .staleWhileRevalidate(Duration.ofMinutes(1))
                    .loadTimeout(Duration.ofSeconds(30))
                    .build());

    final List<SharedCache> engines = new ArrayList<>();
    final List<RedisLoadCoordinator> coordinators = new ArrayList<>();
    final List<RedisHuddle> ports = new ArrayList<>();
    /** Claims made by the engines, all servers together. */
    final AtomicInteger claims = new AtomicInteger();

    private final ExecutorService users = Executors.newCachedThreadPool();

    /** {@code count} servers on ports built by {@code port}, with engines on the given clock. */
    Servers(int count, RedisHuddleBuilder port, InstantSource clock) {
        for (int i = 0; i < count; i++) {
            RedisHuddle redis = port.build();
            ports.add(redis);
            RedisLoadCoordinator coordinator = (RedisLoadCoordinator) redis.loadCoordinator();
            coordinators.add(coordinator);
            engines.add(SharedCache.builder(redis.cachePort())
                    .coordinator(new Counted(coordinator))
                    .clock(clock)
                    .build());
        }
    }

    SharedCache get(int server) {
        return engines.get(server);
    }

    /** Waits until every coordinator is subscribed and takes leases in Redis. */
    Servers usingRedis() {
        Eventually.await(
                "every coordinator uses Redis",
                Duration.ofSeconds(15),
                () -> coordinators.stream().allMatch(RedisLoadCoordinator::isUsingRedis));
        return this;
    }

    /**
     * Waits until every server's connections work again after Redis came back: the pool's connections
     * broken by the outage fail once each, so each port reads until a run of reads succeeds.
     */
    Servers reconnected() {
        CacheKey probe = new CacheKey(PLAYERS, "probe");
        Eventually.await(
                "every port reads again",
                Duration.ofSeconds(15),
                () -> ports.stream().allMatch(redis -> {
                    try {
                        for (int i = 0; i < 20; i++) {
                            redis.cachePort().get(probe);
                        }
                        return true;
                    } catch (CacheBackendException broken) {
                        return false;
                    }
                }));
        return usingRedis();
    }

    /** One user on one server asks for the id. */
    Future<Optional<String>> askOn(int server, String id, Loader<String> loader) {
        SharedCache engine = engines.get(server);
        return users.submit(() -> engine.get(PLAYERS, id, loader));
    }

    /**
     * {@code usersEach} users on every server ask for {@code idOf(user)} at the same moment; the
     * answers (or failures) in user order, server by server.
     */
    List<Future<Optional<String>>> ask(int usersEach, UserKey idOf, Loader<String> loader) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<String>>> answers = new ArrayList<>();
        for (SharedCache engine : engines) {
            for (int user = 0; user < usersEach; user++) {
                String id = idOf.id(user);
                answers.add(users.submit(() -> {
                    start.await();
                    return engine.get(PLAYERS, id, loader);
                }));
            }
        }
        start.countDown();
        return answers;
    }

    /** The coordinators' statistics, as each engine reports them, summed. */
    CoordinatorStatistics coordination() {
        return engines.stream()
                .map(SharedCache::coordinatorStatistics)
                .reduce(CoordinatorStatistics.EMPTY, CoordinatorStatistics::plus);
    }

    static <T> T answer(Future<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        users.shutdownNow();
        engines.forEach(SharedCache::close);
    }

    /** Counts the claims an engine makes of its coordinator. */
    private final class Counted implements LoadCoordinator {
        private final LoadCoordinator coordinator;

        Counted(LoadCoordinator coordinator) {
            this.coordinator = coordinator;
        }

        @Override
        public Claim claim(CacheKey key) {
            Claim claim = coordinator.claim(key);
            claims.incrementAndGet();
            return claim;
        }

        @Override
        public CoordinatorStatistics statistics() {
            return coordinator.statistics();
        }
    }

    /** The id a user asks for. */
    @FunctionalInterface
    interface UserKey {
        String id(int user);
    }
}
