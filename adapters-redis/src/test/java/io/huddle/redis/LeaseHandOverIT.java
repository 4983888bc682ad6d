package io.huddle.redis;

import static io.huddle.redis.Servers.PLAYERS;
import static io.huddle.redis.Servers.answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.AheadResult;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.PermitRefusedException;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.testkit.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

@DisplayName("The lease holder hands its value over in its done message; waiters read Redis only without one")
class LeaseHandOverIT {
    private static final CacheKey KEY = new CacheKey(PLAYERS, "17");

    private final String prefix = TestRedis.newPrefix();
    private final AtomicInteger loads = new AtomicInteger();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable each : closing) {
            each.close();
        }
        TestRedis.deletePrefix(prefix);
    }

    @Test
    @DisplayName(
            "the holder's write publishes done with the entry: the waiting server answers from it, reading nothing")
    void valueHandedOverInTheMessage() throws Exception {
        try (Servers servers = new Servers(2, TestRedis.redisOn(prefix), InstantSource.system()).usingRedis()) {
            BlockingQueue<String> channel = listen(servers);
            CountDownLatch waiting = new CountDownLatch(1);
            Future<Optional<String>> holder = servers.askOn(0, "17", holding(waiting, "value of 17"));
            Future<Optional<String>> waiter = waitOn(servers, 1);
            waiting.countDown();

            assertThat(answer(holder)).contains("value of 17");
            assertThat(answer(waiter)).contains("value of 17");
            LeaseProtocol.Message done = nextDone(channel);
            assertThat(done.entry()).as("the done message carries the entry").isPresent();
            Optional<Object> carried =
                    EntryCodec.json().decode(KEY, done.entry().get()).map(CacheEntry::rawValue);
            assertThat(carried).contains("value of 17");
            assertThat(servers.coordinators.get(1).valuesHandedOver()).isEqualTo(1);
            assertThat(servers.coordinators.get(1).valuesRead()).isZero();
            assertThat(servers.coordinators.get(0).statistics().leasesLost())
                    .as("the write released the lease; the holder did not find it lost")
                    .isZero();
            assertThat(loads).hasValue(1);
            try (UnifiedJedis client = TestRedis.rawClient()) {
                assertThat(client.exists(
                                servers.ports.get(0).connection().keys().leaseOf(KEY)))
                        .as("the lease is gone")
                        .isFalse();
            }
            assertThat(servers.get(1).get(PLAYERS, "17", id -> Loaded.of("loaded again")))
                    .as("the value is in Redis too")
                    .contains("value of 17");
        }
    }

    @Test
    @DisplayName("a value too large to carry (over 64 KiB) is announced without it: the waiting server reads it")
    void oversizedValueIsRead() throws Exception {
        String large = "x".repeat(LeaseProtocol.MAX_HANDED_OVER_BYTES + 1);
        try (Servers servers = new Servers(2, TestRedis.redisOn(prefix), InstantSource.system()).usingRedis()) {
            BlockingQueue<String> channel = listen(servers);
            CountDownLatch waiting = new CountDownLatch(1);
            Future<Optional<String>> holder = servers.askOn(0, "17", holding(waiting, large));
            Future<Optional<String>> waiter = waitOn(servers, 1);
            waiting.countDown();

            assertThat(answer(holder)).contains(large);
            assertThat(answer(waiter)).contains(large);
            LeaseProtocol.Message done = nextDone(channel);
            assertThat(done.entry()).as("no entry in the message").isEmpty();
            assertThat(done.writtenAtMillis()).isNotEqualTo(Long.MIN_VALUE);
            assertThat(servers.coordinators.get(1).valuesRead()).isEqualTo(1);
            assertThat(servers.coordinators.get(1).valuesHandedOver()).isZero();
            assertThat(loads).hasValue(1);
        }
    }

    @Test
    @DisplayName(
            "a done message without a value (a holder that did not write it in the release) still ends the wait: the value is read")
    void messageWithoutValueReadsRedis() throws Exception {
        try (Servers servers = new Servers(1, TestRedis.redisOn(prefix), InstantSource.system()).usingRedis()) {
            OtherServer other = new OtherServer(servers);
            Future<Optional<String>> waiter = waitOn(servers, 0);
            long writtenAt = other.write("value from the other server");

            other.release(LeaseProtocol.done(other.lease, writtenAt));

            assertThat(answer(waiter)).contains("value from the other server");
            assertThat(servers.coordinators.get(0).valuesRead()).isEqualTo(1);
            assertThat(servers.coordinators.get(0).valuesHandedOver()).isZero();
            assertThat(loads).hasValue(0);
        }
    }

    @Test
    @DisplayName("a done message whose value cannot be read (not an entry, not Base64) makes the waiter read Redis")
    void unreadableValueInTheMessageReadsRedis() throws Exception {
        try (Servers servers = new Servers(1, TestRedis.redisOn(prefix), InstantSource.system()).usingRedis()) {
            OtherServer other = new OtherServer(servers);
            Future<Optional<String>> waiter = waitOn(servers, 0);
            long writtenAt = other.write("value in Redis");
            String notAnEntry = Base64.getEncoder().encodeToString("{not an entry".getBytes(StandardCharsets.UTF_8));

            other.release(LeaseProtocol.done(other.lease, writtenAt) + "\n" + notAnEntry);

            assertThat(answer(waiter)).contains("value in Redis");
            assertThat(servers.coordinators.get(0).valuesRead()).isEqualTo(1);

            OtherServer again = new OtherServer(servers, "18");
            Future<Optional<String>> secondWaiter = waitOn(servers, 0, "18");
            long secondWrittenAt = again.write("second value in Redis");
            again.release(LeaseProtocol.done(again.lease, secondWrittenAt) + "\n%%% not Base64 %%%");

            assertThat(answer(secondWaiter)).contains("second value in Redis");
            assertThat(servers.coordinators.get(0).valuesRead()).isEqualTo(2);
            assertThat(servers.coordinators.get(0).valuesHandedOver()).isZero();
            assertThat(loads).hasValue(0);
        }
    }

    @Test
    @DisplayName("a value in the message older than the message says is not taken: the waiter reads Redis")
    void olderValueInTheMessageReadsRedis() throws Exception {
        try (Servers servers = new Servers(1, TestRedis.redisOn(prefix), InstantSource.system()).usingRedis()) {
            OtherServer other = new OtherServer(servers);
            Future<Optional<String>> waiter = waitOn(servers, 0);
            long writtenAt = other.write("newer value in Redis");
            Instant older = Instant.ofEpochMilli(writtenAt - 60_000);
            byte[] olderEntry = EntryCodec.json()
                    .encode(
                            KEY,
                            CacheEntry.found("older value", older, older.plusSeconds(300), older.plusSeconds(360), 1));

            other.release(LeaseProtocol.done(other.lease, writtenAt, olderEntry));

            assertThat(answer(waiter)).contains("newer value in Redis");
            assertThat(servers.coordinators.get(0).valuesRead()).isEqualTo(1);
            assertThat(servers.coordinators.get(0).valuesHandedOver()).isZero();
        }
    }

    @Test
    @DisplayName(
            "a holder whose background load the budget refuses publishes refused: the waiting user loads the key at its own priority")
    void refusedBackgroundLoadHandsTheKeyToTheUser() throws Exception {
        try (Servers servers = new Servers(2, TestRedis.redisOn(prefix), InstantSource.system()).usingRedis()) {
            BlockingQueue<String> channel = listen(servers);
            CountDownLatch waiting = new CountDownLatch(1);
            AtomicReference<UpstreamBudget.Priority> refusedAt = new AtomicReference<>();
            Loader<String> refused = id -> {
                waiting.await(20, TimeUnit.SECONDS);
                refusedAt.set(UpstreamBudget.Priority.current());
                throw new IllegalStateException(
                        "no permit", new PermitRefusedException(UpstreamBudget.Priority.current()));
            };
            assertThat(servers.get(0).prefetch(PLAYERS, "17", refused)).isEqualTo(AheadResult.STARTED);
            Future<Optional<String>> waiter = waitOn(servers, 1);
            waiting.countDown();

            assertThat(answer(waiter)).as("the user loaded it himself").contains("loaded here");
            assertThat(refusedAt).hasValue(UpstreamBudget.Priority.BACKGROUND);
            LeaseProtocol.Message message = nextOf(channel, LeaseProtocol.REFUSED);
            assertThat(message.detail()).contains("BACKGROUND");
            assertThat(servers.get(1).stats(PLAYERS).loadFailures()).isZero();
        }
    }

    /** A loader that counts its calls, waits for {@code go}, and answers {@code value}. */
    private Loader<String> holding(CountDownLatch go, String value) {
        return id -> {
            loads.incrementAndGet();
            go.await(20, TimeUnit.SECONDS);
            return Loaded.of(value);
        };
    }

    private Future<Optional<String>> waitOn(Servers servers, int server) {
        return waitOn(servers, server, "17");
    }

    /** A user on {@code server} asks for the id and waits for another server's lease. */
    private Future<Optional<String>> waitOn(Servers servers, int server, String id) {
        long before = servers.coordinators.get(server).statistics().waitsOnOtherServers();
        Eventually.await(
                "the holder loads",
                Duration.ofSeconds(10),
                () -> servers.coordinators.stream()
                                .mapToLong(each -> each.statistics().leasesTaken())
                                .sum()
                        >= (servers.coordinators.size() > 1 ? 1 : 0));
        Future<Optional<String>> waiter = servers.askOn(server, id, holding(new CountDownLatch(0), "loaded here"));
        Eventually.await(
                "the server waits on the other's lease",
                Duration.ofSeconds(10),
                () -> servers.coordinators.get(server).statistics().waitsOnOtherServers() == before + 1);
        // until its first look at the lease, a wait that finds it gone is abandoned and the key claimed
        // again (the holder may have finished before it began): the outcome must come after that look
        Eventually.await(
                "the wait has looked at the lease",
                Duration.ofSeconds(10),
                () -> servers.coordinators.get(server).waitHasLooked(new CacheKey(PLAYERS, id)));
        return waiter;
    }

    /** The messages on the lease channel from now on. */
    private BlockingQueue<String> listen(Servers servers) throws InterruptedException {
        String channel = new LeaseProtocol(servers.ports.get(0).connection()).channel();
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String subscribedTo, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String from, String message) {
                messages.add(message);
            }
        };
        Jedis jedis = new Jedis(TestRedis.uri());
        Thread thread = new Thread(() -> jedis.subscribe(listener, channel), "lease-channel-listener");
        thread.setDaemon(true);
        thread.start();
        closing.add(() -> {
            listener.unsubscribe();
            thread.join(5_000);
            jedis.close();
        });
        assertThat(subscribed.await(10, TimeUnit.SECONDS)).as("subscribed").isTrue();
        return messages;
    }

    private static LeaseProtocol.Message nextDone(BlockingQueue<String> channel) throws InterruptedException {
        return nextOf(channel, LeaseProtocol.DONE);
    }

    private static LeaseProtocol.Message nextOf(BlockingQueue<String> channel, String event)
            throws InterruptedException {
        while (true) {
            String text = channel.poll(10, TimeUnit.SECONDS);
            assertThat(text).as("a " + event + " message on the lease channel").isNotNull();
            Optional<LeaseProtocol.Message> message = LeaseProtocol.read(text);
            if (message.isPresent() && event.equals(message.get().event())) {
                return message.get();
            }
        }
    }

    /** Another server, played by the test: it holds the key's lease, writes the value and releases. */
    private static final class OtherServer {
        final CacheKey key;
        final String lease;
        final String token = UUID.randomUUID().toString();
        final LeaseProtocol protocol;
        final RedisCachePort port;

        OtherServer(Servers servers) {
            this(servers, "17");
        }

        OtherServer(Servers servers, String id) {
            this.key = new CacheKey(PLAYERS, id);
            this.protocol = new LeaseProtocol(servers.ports.get(0).connection());
            this.port = servers.ports.get(0).port();
            this.lease = protocol.leaseOf(key);
            try (UnifiedJedis client = TestRedis.rawClient()) {
                assertThat(client.set(lease, token, SetParams.setParams().nx().px(30_000)))
                        .isEqualTo("OK");
            }
        }

        /** Writes the value as the holder would (unfenced here); its writtenAtMillis. */
        long write(String value) {
            Instant now = Instant.now();
            port.put(
                    key,
                    CacheEntry.found(value, now, now.plusSeconds(300), now.plusSeconds(360), 1),
                    Duration.ofSeconds(360));
            return EntryCodec.millisOf(now);
        }

        void release(String message) {
            assertThat(protocol.release(key, lease, token, message)).isTrue();
        }
    }
}
