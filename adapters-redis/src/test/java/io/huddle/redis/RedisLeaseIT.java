package io.huddle.redis;

import static io.huddle.redis.Servers.PLAYERS;
import static io.huddle.redis.Servers.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.testkit.Eventually;
import io.huddle.testkit.ManualClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

@DisplayName("Four servers, one Redis: one load per key across all of them")
class RedisLeaseIT {
    private static final int SERVERS = 4;
    private static final int USERS_EACH = 25;

    private final String prefix = TestRedis.newPrefix();
    private final AtomicInteger loads = new AtomicInteger();
    private static volatile long burnt;
    private final Map<String, AtomicInteger> loadsById = new ConcurrentHashMap<>();

    @AfterEach
    void deleteKeys() {
        TestRedis.deletePrefix(prefix);
    }

    /**
     * Servers with the default lease (3 s, renewed four times a lease): single flight must hold while
     * two cores run four servers, a hundred users each, and Redis. Tests of a lease running out set a
     * shorter one themselves.
     */
    private RedisHuddleBuilder port() {
        return TestRedis.redisOn(prefix);
    }

    /** A loader that counts its calls and waits for {@code ready} before it answers. */
    private Loader<String> loader(CountDownLatch ready) {
        return id -> {
            loads.incrementAndGet();
            loadsById.computeIfAbsent(id, any -> new AtomicInteger()).incrementAndGet();
            ready.await(20, TimeUnit.SECONDS);
            return Loaded.of("value of " + id);
        };
    }

    @Test
    @DisplayName("one cold key asked by 100 users on four servers: one loader call; the others waited for it")
    void oneColdKey() throws Exception {
        try (Servers servers = new Servers(SERVERS, port(), InstantSource.system()).usingRedis()) {
            CountDownLatch othersWaiting = new CountDownLatch(1);
            Loader<String> loader = id -> {
                // hold the load until the three other servers wait on its lease
                Eventually.await(
                        "three servers wait on the lease",
                        Duration.ofSeconds(20),
                        () -> servers.coordination().waitsOnOtherServers() >= SERVERS - 1);
                othersWaiting.countDown();
                return loader(new CountDownLatch(0)).load(id);
            };

            List<Future<Optional<String>>> answers = servers.ask(USERS_EACH, user -> "17", loader);

            for (Future<Optional<String>> each : answers) {
                assertThat(answer(each)).contains("value of 17");
            }
            assertThat(loads).hasValue(1);
            CoordinatorStatistics coordination = servers.coordination();
            // a user whose thread ran late (it read Redis before the value was written and claimed after
            // its server's wait had ended) takes a second lease and finds the value: it loads nothing
            assertThat(coordination.leasesTaken())
                    .as("leases: the one that loaded, and any taken after it by users who came late")
                    .isBetween(1L, 1L + SERVERS * USERS_EACH - 1);
            assertThat(coordination.waitsOnOtherServers()).isEqualTo(SERVERS - 1);
            assertThat(coordination.fallbacks()).isZero();
            long servedWithoutLoading = servers.engines.stream()
                    .mapToLong(engine -> engine.stats(PLAYERS).coalescedWaits()
                            + engine.stats(PLAYERS).hits())
                    .sum();
            assertThat(servedWithoutLoading)
                    .as("every user but the leader waited for its load or found its value")
                    .isEqualTo(SERVERS * USERS_EACH - 1);
        }
    }

    @Test
    @DisplayName("a load that takes six lease times on a machine kept busy keeps its lease: still one load")
    void busyMachineKeepsTheLease() throws Exception {
        // short enough that a missed renewal shows within the test; long enough that a renewal thread
        // stalled by the burners (or another process on a shared machine) for a third of it is no miss
        RedisHuddleBuilder shortLeases = TestRedis.redisOn(prefix).leaseTime(Duration.ofMillis(500));
        AtomicBoolean busy = new AtomicBoolean(true);
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
            Thread burner = new Thread(() -> {
                long sink = 0;
                while (busy.get()) {
                    sink += System.nanoTime() % 7;
                }
                burnt = sink; // keeps the loop from being optimised away
            });
            burner.setDaemon(true);
            burner.start();
            burners.add(burner);
        }
        try (Servers servers = new Servers(SERVERS, shortLeases, InstantSource.system()).usingRedis()) {
            Loader<String> slow = id -> {
                Thread.sleep(3_000); // six lease times
                return loader(new CountDownLatch(0)).load(id);
            };

            List<Future<Optional<String>>> answers = servers.ask(USERS_EACH, user -> "17", slow);

            for (Future<Optional<String>> each : answers) {
                assertThat(answer(each)).contains("value of 17");
            }
            assertThat(loads).as("renewed leases: no second server loaded").hasValue(1);
            assertThat(servers.coordination().holdersLost()).isZero();
        } finally {
            busy.set(false);
            for (Thread burner : burners) {
                burner.join();
            }
        }
    }

    @Test
    @DisplayName("ten cold keys: ten loader calls, one per key, all running at the same time")
    void tenKeysInParallel() throws Exception {
        try (Servers servers = new Servers(SERVERS, port(), InstantSource.system()).usingRedis()) {
            CountDownLatch allTenLoading = new CountDownLatch(10);
            Loader<String> loader = id -> {
                allTenLoading.countDown();
                return loader(allTenLoading).load(id);
            };

            List<Future<Optional<String>>> answers = servers.ask(USERS_EACH, user -> "key-" + user % 10, loader);

            for (Future<Optional<String>> each : answers) {
                assertThat(answer(each))
                        .hasValueSatisfying(value -> assertThat(value).startsWith("value of key-"));
            }
            assertThat(allTenLoading.getCount())
                    .as("the ten loads ran at once: each waited for all ten to start")
                    .isZero();
            assertThat(loads).hasValue(10);
            assertThat(loadsById.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        }
    }

    @Test
    @DisplayName("a server killed while it holds the lease: its lease runs out and another server loads instead")
    void holderKilled() throws Exception {
        Process holder = new ProcessBuilder(
                        javaBinary(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LeaseHolderProcess.class.getName(),
                        TestRedis.uri().toString(),
                        prefix,
                        "900",
                        "17")
                .redirectErrorStream(true)
                .start();
        try (Servers servers = new Servers(SERVERS - 1, port(), InstantSource.system()).usingRedis()) {
            awaitLine(holder, LeaseHolderProcess.LOADING);

            List<Future<Optional<String>>> answers =
                    servers.ask(USERS_EACH, user -> "17", loader(new CountDownLatch(0)));
            Eventually.await(
                    "the servers wait on the holder's lease",
                    Duration.ofSeconds(20),
                    () -> servers.coordination().waitsOnOtherServers() >= SERVERS - 1);
            assertThat(loads).as("nobody loads while the holder lives").hasValue(0);

            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            for (Future<Optional<String>> each : answers) {
                assertThat(answer(each)).contains("value of 17");
            }
            assertThat(loads).as("one server took the load over").hasValue(1);
            assertThat(servers.coordination().holdersLost()).isGreaterThanOrEqualTo(1);
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    @DisplayName("a load whose key is invalidated meanwhile does not write its value back; the next ask loads again")
    void invalidationFencesOutASlowLoad() throws Exception {
        try (Servers servers = new Servers(2, port(), InstantSource.system()).usingRedis()) {
            CountDownLatch release = new CountDownLatch(1);
            Future<Optional<String>> first = servers.askOn(0, "17", loader(release));
            Eventually.await("the load runs", Duration.ofSeconds(10), () -> loads.get() == 1);

            servers.get(1).invalidate(PLAYERS, "17");
            release.countDown();

            assertThat(answer(first))
                    .as("the caller still gets what was loaded")
                    .contains("value of 17");
            assertThat(servers.coordinators.get(0).statistics().leasesLost()).isEqualTo(1);
            try (UnifiedJedis raw = TestRedis.rawClient()) {
                assertThat(raw.exists(RedisPortInternals.keyOf(servers.ports.get(0), new CacheKey(PLAYERS, "17"))))
                        .as("the invalidation won")
                        .isFalse();
            }
            assertThat(servers.get(1).get(PLAYERS, "17", loader(new CountDownLatch(0))))
                    .contains("value of 17");
            assertThat(loads).hasValue(2);
        }
    }

    @Test
    @DisplayName("an invalidation wakes the servers waiting on the key's lease at once, and they load it again")
    void invalidationWakesWaiters() throws Exception {
        // leases of a minute: only the invalidation's message can end the wait within the test
        RedisHuddleBuilder longLeases = TestRedis.redisOn(prefix).leaseTime(Duration.ofMinutes(1));
        try (Servers servers = new Servers(2, longLeases, InstantSource.system()).usingRedis()) {
            CountDownLatch holderRelease = new CountDownLatch(1);
            HolderAndWaiter started = holderAndWaiter(servers, id -> {
                holderRelease.await(30, TimeUnit.SECONDS);
                return Loaded.of("loaded before the change");
            });
            Future<Optional<String>> holder = started.holder();
            Future<Optional<String>> waiter = started.waiter();

            servers.get(1).invalidate(PLAYERS, "17");

            assertThat(answer(waiter)).as("loaded again after the change").contains("value of 17");
            assertThat(holder).as("the first load is still under way").isNotDone();
            holderRelease.countDown();
            assertThat(answer(holder)).contains("loaded before the change");
            assertThat(servers.get(0).get(PLAYERS, "17", loader(new CountDownLatch(0))))
                    .as("the first load's late value did not replace the new one")
                    .contains("value of 17");
            assertThat(servers.coordination().holdersLost()).isZero();
        }
    }

    @Test
    @DisplayName("a loader that outlived its lease cannot overwrite the value of the server that took over")
    void lateWriterIsFencedOut() throws Exception {
        RedisHuddleBuilder shortLeases =
                TestRedis.redisOn(prefix).leaseTime(Duration.ofMillis(300)).maxLoadTime(Duration.ofMillis(1));
        try (Servers servers = new Servers(2, shortLeases, InstantSource.system()).usingRedis()) {
            CountDownLatch slow = new CountDownLatch(1);
            Future<Optional<String>> late = servers.askOn(0, "17", id -> {
                loads.incrementAndGet();
                slow.await(20, TimeUnit.SECONDS);
                return Loaded.of("old value");
            });
            Eventually.await("the slow load runs", Duration.ofSeconds(10), () -> loads.get() == 1);
            // server 1 waits for the lease, which is not renewed and runs out: it takes over
            Optional<String> taken = servers.get(1).get(PLAYERS, "17", id -> Loaded.of("new value"));
            slow.countDown();

            assertThat(taken).contains("new value");
            assertThat(answer(late)).contains("old value");
            assertThat(servers.get(1).get(PLAYERS, "17", id -> Loaded.of("loaded again")))
                    .as("the late write did not replace the newer value")
                    .contains("new value");
            assertThat(servers.coordinators.get(0).statistics().leasesLost()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a load that fails on the lease holder fails at once for the users waiting on other servers")
    void failureReachesOtherServers() throws Exception {
        try (Servers servers = new Servers(2, port(), InstantSource.system()).usingRedis()) {
            CountDownLatch othersWaiting = new CountDownLatch(1);
            HolderAndWaiter started = holderAndWaiter(servers, id -> {
                othersWaiting.await(20, TimeUnit.SECONDS);
                throw new IllegalStateException("upstream said 503");
            });
            Future<Optional<String>> holder = started.holder();
            Future<Optional<String>> waiter = started.waiter();
            othersWaiting.countDown();

            assertThatThrownBy(() -> answer(holder)).hasRootCauseMessage("upstream said 503");
            assertThatThrownBy(() -> answer(waiter))
                    .hasCauseInstanceOf(CacheLoadException.class)
                    .hasMessageContaining("the load on another server failed")
                    .hasMessageContaining("upstream said 503");
        }
    }

    @Test
    @DisplayName("a stale value is served at once on every server, and one server refreshes it for all")
    void staleServedEverywhereOneRefresh() throws Exception {
        ManualClock clock = new ManualClock();
        try (Servers servers = new Servers(SERVERS, port(), clock).usingRedis()) {
            assertThat(servers.get(0).get(PLAYERS, "17", id -> Loaded.of("old")))
                    .contains("old");
            clock.advance(Duration.ofMinutes(5).plusSeconds(1));
            CountDownLatch refreshing = new CountDownLatch(1);

            List<Future<Optional<String>>> answers = servers.ask(USERS_EACH, user -> "17", id -> {
                loads.incrementAndGet();
                refreshing.await(20, TimeUnit.SECONDS);
                return Loaded.of("new");
            });
            for (Future<Optional<String>> each : answers) {
                assertThat(answer(each)).as("nobody waits for the refresh").contains("old");
            }
            refreshing.countDown();

            Eventually.await(
                    "every server sees the refreshed value",
                    Duration.ofSeconds(10),
                    () -> servers.engines.stream()
                            .allMatch(engine -> engine.get(PLAYERS, "17", id -> Loaded.of("unexpected"))
                                    .equals(Optional.of("new"))));
            assertThat(loads).as("one refresh across the four servers").hasValue(1);
        }
    }

    @Test
    @DisplayName(
            "Redis stopped mid-run: every user is answered with single flight per server; restarted: one load again")
    void redisStoppedAndRestarted() throws Exception {
        try (OwnedRedis redis = OwnedRedis.start();
                Servers servers = new Servers(
                                SERVERS,
                                RedisHuddle.builder().uri(redis.uri()).keyPrefix(prefix),
                                InstantSource.system())
                        .usingRedis()) {
            redis.stop();
            Loader<String> whileDown = id -> {
                // hold the loads until every user has claimed the key, so that each server's users share one
                Eventually.await(
                        "every user claimed",
                        Duration.ofSeconds(20),
                        () -> servers.claims.get() >= SERVERS * USERS_EACH);
                return loader(new CountDownLatch(0)).load(id);
            };

            List<Future<Optional<String>>> duringOutage = servers.ask(USERS_EACH, user -> "17", whileDown);
            for (Future<Optional<String>> each : duringOutage) {
                assertThat(answer(each)).contains("value of 17");
            }
            assertThat(loads.get())
                    .as(
                            "at most one load per server; %s",
                            servers.engines.stream()
                                    .map(engine -> engine.stats(PLAYERS))
                                    .toList())
                    .isBetween(1, SERVERS);
            assertThat(servers.coordination().fallbacks()).isGreaterThanOrEqualTo(loads.get());

            redis.restart();
            servers.reconnected();
            loads.set(0);

            List<Future<Optional<String>>> afterwards =
                    servers.ask(USERS_EACH, user -> "18", loader(new CountDownLatch(0)));
            for (Future<Optional<String>> each : afterwards) {
                assertThat(answer(each)).contains("value of 18");
            }
            assertThat(loads).as("one load across all servers again").hasValue(1);
        }
    }

    private record HolderAndWaiter(Future<Optional<String>> holder, Future<Optional<String>> waiter) {}

    /**
     * A user of server 0 loads "17" with {@code holding}; once it holds the lease, a user of server 1
     * asks for it too and waits on that lease.
     */
    private HolderAndWaiter holderAndWaiter(Servers servers, Loader<String> holding) {
        Future<Optional<String>> holder = servers.askOn(0, "17", holding);
        Eventually.await(
                "the holder loads",
                Duration.ofSeconds(10),
                () -> servers.coordination().leasesTaken() == 1);
        Future<Optional<String>> waiter = servers.askOn(1, "17", loader(new CountDownLatch(0)));
        Eventually.await(
                "the other server waits",
                Duration.ofSeconds(10),
                () -> servers.coordination().waitsOnOtherServers() == 1);
        return new HolderAndWaiter(holder, waiter);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void awaitLine(Process process, String expected) throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        Future<Boolean> found = java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable);
                    thread.setDaemon(true);
                    return thread;
                })
                .submit(() -> {
                    String line;
                    while ((line = out.readLine()) != null) {
                        seen.add(line);
                        if (line.equals(expected)) {
                            return true;
                        }
                    }
                    return false;
                });
        assertThat(found.get(30, TimeUnit.SECONDS))
                .as("the child printed '%s'; it printed %s", expected, seen)
                .isTrue();
    }
}
