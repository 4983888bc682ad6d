package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.core.tiered.TieredCachePort;
import io.huddle.testkit.Eventually;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

@DisplayName(
        "Four servers with near caches on one Redis: changes drop local copies, losses distrust them, restarts refill Redis")
class NearCacheIT {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final DataKind<String> PLAYERS = DataKind.of("players", String.class, CachePolicy.ofTtl(TTL));
    private static final DataKind<String> TEAMS = DataKind.of("teams", String.class, CachePolicy.ofTtl(TTL));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String prefix = TestRedis.newPrefix();
    private final List<Server> servers = new ArrayList<>();
    private final AtomicInteger loads = new AtomicInteger();

    /** One server: an engine on its own clock over its near cache, with its own Redis client and bus. */
    private record Server(
            SharedCache cache,
            InMemoryCachePort local,
            RedisHuddle remote,
            RedisInvalidationBus bus,
            ManualClock clock,
            TieredCachePort tiered) {

        boolean holdsLocally(DataKind<?> kind, String id) {
            return local.get(new CacheKey(kind, id)).isPresent();
        }

        Optional<String> get(DataKind<String> kind, String id, Loader<String> loader) {
            return cache.get(kind, id, loader);
        }
    }

    @AfterEach
    void close() {
        servers.forEach(server -> server.cache().close());
        TestRedis.deletePrefix(prefix);
    }

    /** Starts four servers, each with a port (and so a client) of its own from {@code ports}. */
    private void startServers(Supplier<RedisHuddleBuilder> ports) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            ManualClock clock = new ManualClock();
            InMemoryCachePort local = new InMemoryCachePort(clock);
            RedisHuddle remote = ports.get().keyPrefix(prefix).build();
            RedisInvalidationBus bus = (RedisInvalidationBus) remote.invalidationBus();
            TieredCachePort tiered = TieredCachePort.builder(local, remote.cachePort())
                    .clock(clock)
                    .build();
            SharedCache cache = SharedCache.builder(tiered)
                    .clock(clock)
                    .invalidationBus(bus)
                    .build();
            servers.add(new Server(cache, local, remote, bus, clock, tiered));
            assertThat(bus.awaitSubscribed(WAIT))
                    .as("server %d subscribed", i + 1)
                    .isTrue();
        }
    }

    private Server server(int number) {
        return servers.get(number - 1);
    }

    private List<Server> others() {
        return servers.subList(1, servers.size());
    }

    private Loader<String> loader(String value) {
        return id -> {
            loads.incrementAndGet();
            return Loaded.of(value);
        };
    }

    /**
     * Server 1 loads the key; once its announcement of the write has reached the others (else it
     * would drop the copies they are about to make), they read it from Redis; all four then hold it
     * locally.
     */
    private void warm(DataKind<String> kind, String id, String value) {
        List<Long> heard = others().stream()
                .map(other -> other.bus().statistics().received())
                .toList();
        assertThat(server(1).get(kind, id, loader(value))).contains(value);
        for (int i = 0; i < heard.size(); i++) {
            RedisInvalidationBus bus = others().get(i).bus();
            long before = heard.get(i);
            Eventually.await(
                    "the others heard of the write",
                    WAIT,
                    () -> bus.statistics().received() > before);
        }
        for (Server other : others()) {
            assertThat(other.get(kind, id, loader("loaded again"))).contains(value);
        }
        for (Server server : servers) {
            assertThat(server.holdsLocally(kind, id)).isTrue();
        }
    }

    private void awaitDroppedByOthers(DataKind<?> kind, String id) {
        for (Server other : others()) {
            Eventually.await(
                    "server " + (servers.indexOf(other) + 1) + " dropped its copy of " + id,
                    WAIT,
                    () -> !other.holdsLocally(kind, id));
        }
    }

    @Test
    @DisplayName("a value written on server 1 is what the other three read next, not their local copies")
    void write() throws Exception {
        startServers(() -> TestRedis.redisOn(prefix));
        warm(PLAYERS, "15", "Mahomes v1");
        int loadsWarm = loads.get();

        server(1).cache().putAll(PLAYERS, Map.of("15", "Mahomes v2"), 1);

        awaitDroppedByOthers(PLAYERS, "15");
        for (Server server : servers) {
            assertThat(server.get(PLAYERS, "15", loader("loaded"))).contains("Mahomes v2");
        }
        assertThat(loads).as("loads after warming").hasValue(loadsWarm);
        assertThat(server(1).cache().busStatistics().sent())
                .as("the bus's counts, reachable from the cache")
                .isPositive();
        assertThat(server(2).cache().busStatistics().received()).isPositive();
        assertThat(server(1).cache().coordinatorStatistics())
                .as("the coordinator's counts, reachable from the cache (the in-process one counts nothing)")
                .isEqualTo(CoordinatorStatistics.EMPTY);
    }

    @Test
    @DisplayName("a refresh on server 1 of a value gone stale there is what the other three read next")
    void refresh() throws Exception {
        startServers(() -> TestRedis.redisOn(prefix));
        warm(PLAYERS, "15", "Mahomes v1");

        server(1).clock().advance(TTL);
        assertThat(server(1).get(PLAYERS, "15", loader("Mahomes v2"))).contains("Mahomes v2");

        awaitDroppedByOthers(PLAYERS, "15");
        for (Server other : others()) {
            assertThat(other.get(PLAYERS, "15", loader("loaded"))).contains("Mahomes v2");
        }
    }

    @Test
    @DisplayName("a key invalidated on server 1 is loaded afresh by the others, never served from their copies")
    void invalidate() throws Exception {
        startServers(() -> TestRedis.redisOn(prefix));
        warm(PLAYERS, "15", "Mahomes v1");
        warm(PLAYERS, "17", "Allen v1");

        server(1).cache().invalidate(PLAYERS, "15");

        awaitDroppedByOthers(PLAYERS, "15");
        int loadsBefore = loads.get();
        for (Server other : others()) {
            assertThat(other.get(PLAYERS, "15", loader("Mahomes v2"))).contains("Mahomes v2");
        }
        assertThat(loads)
                .as("one load, by server 2; servers 3 and 4 read its value from Redis")
                .hasValue(loadsBefore + 1);
        for (Server server : servers) {
            assertThat(server.holdsLocally(PLAYERS, "17"))
                    .as("another key stays")
                    .isTrue();
        }
    }

    @Test
    @DisplayName("a kind invalidated on server 1 leaves no local copy of it on the others, and other kinds alone")
    void invalidateKind() throws Exception {
        startServers(() -> TestRedis.redisOn(prefix));
        warm(PLAYERS, "15", "Mahomes");
        warm(PLAYERS, "17", "Allen");
        warm(TEAMS, "KC", "Chiefs");

        server(1).cache().invalidateAll(PLAYERS);

        awaitDroppedByOthers(PLAYERS, "15");
        awaitDroppedByOthers(PLAYERS, "17");
        for (Server server : servers) {
            assertThat(server.holdsLocally(TEAMS, "KC")).isTrue();
            assertThat(server.get(PLAYERS, "17", loader("Allen v2"))).contains("Allen v2");
        }
    }

    @Test
    @DisplayName(
            "a lost message makes every server distrust its local tier: the copies stay, the next read checks Redis")
    void lostMessage() throws Exception {
        startServers(() -> TestRedis.redisOn(prefix));
        warm(PLAYERS, "15", "Mahomes");
        warm(TEAMS, "KC", "Chiefs");
        int loadsWarm = loads.get();
        // changed in Redis behind the servers' backs: only a read of Redis can see it
        CacheKey mahomes = new CacheKey(PLAYERS, "15");
        server(1)
                .remote()
                .cachePort()
                .put(
                        mahomes,
                        entryOf("Mahomes, read from Redis", server(1).clock().instant()),
                        TTL);

        // another server's messages 1 and 3 arrive; 2 was lost
        String publisher = UUID.randomUUID().toString();
        String channel = server(1).remote().connection().keys().channel("invalidations");
        try (UnifiedJedis raw = TestRedis.rawClient()) {
            raw.publish(channel, "1\n" + publisher + "\n1\nlost-engine\nkey\nplayers\nother");
            raw.publish(channel, "1\n" + publisher + "\n3\nlost-engine\nkey\nplayers\nother");
        }

        for (Server server : servers) {
            Eventually.await(
                    "server " + (servers.indexOf(server) + 1) + " noticed the loss",
                    WAIT,
                    () -> server.bus().statistics().lossesDetected() == 1);
            assertThat(server.holdsLocally(PLAYERS, "15") && server.holdsLocally(TEAMS, "KC"))
                    .as("the local copies stay, as the fallback")
                    .isTrue();
            // the loss is counted just before the listeners hear of it
            Eventually.await(
                    "server " + (servers.indexOf(server) + 1) + " reads Redis instead of its copy",
                    WAIT,
                    () -> server.get(PLAYERS, "15", loader("loaded")).equals(Optional.of("Mahomes, read from Redis")));
            assertThat(server.get(TEAMS, "KC", loader("loaded"))).contains("Chiefs");
        }
        assertThat(loads).as("Redis still holds the values").hasValue(loadsWarm);
    }

    @Test
    @DisplayName(
            "Redis killed and restarted empty: the servers answer from their copies meanwhile, then write them back, newest first, loading nothing")
    void redisRestart() throws Exception {
        try (OwnedRedis redis = OwnedRedis.start()) {
            try {
                startServers(() -> RedisHuddle.builder().uri(redis.uri()));
                warm(PLAYERS, "15", "Mahomes v1");
                warm(TEAMS, "KC", "Chiefs");

                redis.kill();
                for (Server server : servers) {
                    assertThat(server.get(PLAYERS, "15", failing()))
                            .as("answered from the local copy while Redis is down")
                            .contains("Mahomes v1");
                }
                // with Redis down, server 2 loads and keeps its newer value locally only
                server(2).clock().advance(Duration.ofSeconds(1));
                CacheKey mahomes = new CacheKey(PLAYERS, "15");
                server(2).cache().putAll(PLAYERS, java.util.Map.of("15", "Mahomes (outage)"), 1);
                int loadsBefore = loads.get();

                redis.restart();
                Eventually.await(
                        "Redis holds the newest copy of 15 again, and the team",
                        WAIT,
                        () -> redisHolds(mahomes, "Mahomes (outage)")
                                && redisHolds(new CacheKey(TEAMS, "KC"), "Chiefs"));
                for (Server server : servers) {
                    Eventually.await("subscribed again", WAIT, server.bus()::isSubscribed);
                }
                for (Server server : servers) {
                    assertThat(server.get(TEAMS, "KC", failing())).contains("Chiefs");
                }
                assertThat(loads).as("nothing was loaded to refill Redis").hasValue(loadsBefore);
                long written = servers.stream()
                        .mapToLong(
                                server -> server.tiered().writeBackStatistics().written())
                        .sum();
                assertThat(written).as("entries written back by the servers").isGreaterThanOrEqualTo(2);
            } finally {
                servers.forEach(server -> server.cache().close());
            }
        }
    }

    /** Whether Redis holds the value for the key; false while it cannot be read (a broken connection). */
    private boolean redisHolds(CacheKey key, String value) {
        try {
            return server(1)
                    .remote()
                    .cachePort()
                    .get(key)
                    .flatMap(CacheEntry::value)
                    .map(String::valueOf)
                    .equals(Optional.of(value));
        } catch (io.huddle.core.spi.CacheBackendException notYet) {
            return false;
        }
    }

    private Loader<String> failing() {
        return id -> {
            loads.incrementAndGet();
            throw new IllegalStateException("the upstream is down too");
        };
    }

    private static CacheEntry<String> entryOf(String value, java.time.Instant now) {
        return CacheEntry.found(value, now, now.plus(TTL), now.plus(TTL), 1);
    }
}
