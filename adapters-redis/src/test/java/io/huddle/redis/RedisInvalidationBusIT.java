package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.Invalidation;
import io.huddle.core.spi.InvalidationBus;
import io.huddle.testkit.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

@DisplayName("The Redis invalidation bus delivers between servers and never hides a loss")
class RedisInvalidationBusIT {
    private static final DataKind<String> PLAYERS =
            DataKind.of("players", String.class, CachePolicy.ofTtl(Duration.ofMinutes(5)));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String prefix = TestRedis.newPrefix();
    private final List<RedisHuddle> ports = new ArrayList<>();

    @AfterEach
    void close() {
        ports.forEach(RedisHuddle::close);
        TestRedis.deletePrefix(prefix);
    }

    /** A listener that keeps what it hears, in order. */
    private static final class Recorder implements Consumer<Invalidation> {
        final List<Invalidation> heard = new CopyOnWriteArrayList<>();

        @Override
        public void accept(Invalidation invalidation) {
            heard.add(invalidation);
        }

        long count(Invalidation invalidation) {
            return heard.stream().filter(invalidation::equals).count();
        }

        long everythings() {
            return heard.stream().filter(Invalidation::isEverything).count();
        }
    }

    private RedisInvalidationBus busOn(RedisHuddleBuilder builder) throws InterruptedException {
        RedisHuddle port = builder.keyPrefix(prefix).build();
        ports.add(port);
        RedisInvalidationBus bus = (RedisInvalidationBus) port.invalidationBus();
        assertThat(bus.awaitSubscribed(WAIT)).as("subscribed").isTrue();
        return bus;
    }

    private RedisInvalidationBus bus() throws InterruptedException {
        return busOn(TestRedis.redisOn(prefix));
    }

    private Recorder listenTo(InvalidationBus bus) {
        Recorder recorder = new Recorder();
        bus.subscribe(recorder);
        return recorder;
    }

    private String channel() {
        return new RedisKeys(prefix, io.huddle.core.spi.CacheEntry.SCHEMA_VERSION).channel("invalidations");
    }

    /** Publishes raw text on the bus's channel, as another server (or a broken one) would. */
    private void send(String... messages) {
        try (UnifiedJedis raw = TestRedis.rawClient()) {
            for (String message : messages) {
                raw.publish(channel(), message);
            }
        }
    }

    private static String message(String publisher, long sequence, String id) {
        return "1\n" + publisher + '\n' + sequence + "\nother-engine\nkey\nplayers\n" + id;
    }

    private static String beat(String publisher, long sequence) {
        return "1\n" + publisher + '\n' + sequence + "\n\nbeat\n\n";
    }

    private static Invalidation ofKey(String origin, String id) {
        return Invalidation.ofKey(origin, new CacheKey(PLAYERS, id));
    }

    @Nested
    @DisplayName("delivery")
    class Delivery {
        @Test
        @DisplayName("a key, a kind and everything published on one bus reach the other bus's listeners")
        void betweenTwoBuses() throws Exception {
            RedisInvalidationBus a = bus();
            RedisInvalidationBus b = bus();
            Recorder heardByB = listenTo(b);

            a.publish(ofKey("engine-a", "15"));
            a.publish(Invalidation.ofKind("engine-a", PLAYERS));
            a.publish(Invalidation.everything("engine-a"));

            Eventually.await("B heard A's three messages", WAIT, () -> heardByB.heard.size() >= 3);
            assertThat(heardByB.heard)
                    .containsExactly(
                            ofKey("engine-a", "15"),
                            Invalidation.ofKind("engine-a", PLAYERS),
                            Invalidation.everything("engine-a"));
            assertThat(b.statistics().received()).isEqualTo(3);
            assertThat(b.statistics().lossesDetected()).isZero();
            Eventually.await("A counted three sent", WAIT, () -> a.statistics().sent() == 3);
        }

        @Test
        @DisplayName("the publisher's own listeners hear its message once, at publishing, not again from Redis")
        void ownMessagesNotDoubled() throws Exception {
            RedisInvalidationBus a = bus();
            RedisInvalidationBus b = bus();
            Recorder heardByA = listenTo(a);
            Recorder heardByB = listenTo(b);

            a.publish(ofKey("engine-a", "15"));
            assertThat(heardByA.heard).as("heard at once").containsExactly(ofKey("engine-a", "15"));
            Eventually.await("B heard A", WAIT, () -> heardByB.count(ofKey("engine-a", "15")) == 1);
            // Redis sends A's message to A before B's reply, which B sends only after hearing A's
            b.publish(ofKey("engine-b", "87"));
            Eventually.await("A heard B", WAIT, () -> heardByA.count(ofKey("engine-b", "87")) == 1);

            assertThat(heardByA.heard).containsExactly(ofKey("engine-a", "15"), ofKey("engine-b", "87"));
            assertThat(heardByB.heard).containsExactly(ofKey("engine-a", "15"), ofKey("engine-b", "87"));
            assertThat(a.statistics().received()).isEqualTo(1);
        }

        @Test
        @DisplayName("a listener that throws does not stop the others, and a closed subscription hears nothing")
        void listenersApart() throws Exception {
            RedisInvalidationBus a = bus();
            a.subscribe(invalidation -> {
                throw new IllegalStateException("a broken listener");
            });
            Recorder kept = listenTo(a);
            Recorder left = new Recorder();
            a.subscribe(left).close();

            a.publish(ofKey("engine-a", "15"));

            assertThat(kept.heard).containsExactly(ofKey("engine-a", "15"));
            assertThat(left.heard).isEmpty();
        }
    }

    @Nested
    @DisplayName("loss")
    class Loss {
        @Test
        @DisplayName("a skipped sequence number makes the listeners drop everything, then hear the message")
        void gap() throws Exception {
            RedisInvalidationBus bus = bus();
            Recorder recorder = listenTo(bus);
            String publisher = UUID.randomUUID().toString();

            send(message(publisher, 1, "a"), message(publisher, 3, "c"));

            Eventually.await("three deliveries", WAIT, () -> recorder.heard.size() >= 3);
            assertThat(recorder.heard)
                    .containsExactly(
                            ofKey("other-engine", "a"),
                            Invalidation.everything(bus.publisherId()),
                            ofKey("other-engine", "c"));
            assertThat(bus.statistics().lossesDetected()).isEqualTo(1);
        }

        @Test
        @DisplayName(
                "a heartbeat with a number not heard means the last message was lost; one that matches means nothing")
        void heartbeat() throws Exception {
            RedisInvalidationBus bus = bus();
            Recorder recorder = listenTo(bus);
            String publisher = UUID.randomUUID().toString();

            send(message(publisher, 1, "a"), beat(publisher, 1), message(publisher, 2, "b"), beat(publisher, 3));

            Eventually.await("three deliveries", WAIT, () -> recorder.heard.size() >= 3);
            assertThat(recorder.heard)
                    .containsExactly(
                            ofKey("other-engine", "a"),
                            ofKey("other-engine", "b"),
                            Invalidation.everything(bus.publisherId()));
            assertThat(bus.statistics().lossesDetected()).isEqualTo(1);
        }

        @Test
        @DisplayName("a publisher first heard long after subscribing, past its first number, has lost messages")
        void latePublisher() throws Exception {
            RedisInvalidationBus bus = busOn(TestRedis.redisOn(prefix).busHeartbeat(Duration.ofMillis(20)));
            Recorder recorder = listenTo(bus);

            send(message(UUID.randomUUID().toString(), 1, "first"));
            Eventually.await("the first message", WAIT, () -> recorder.heard.size() == 1);
            assertThat(bus.statistics().lossesDetected())
                    .as("a new publisher's first number")
                    .isZero();

            // numbers past the first count as lost once the subscription is older than five heartbeats
            Eventually.await("a late publisher noticed", WAIT, () -> {
                send(message(UUID.randomUUID().toString(), 7, "late"));
                return bus.statistics().lossesDetected() > 0;
            });
            Eventually.await("the listeners told to drop everything", WAIT, () -> recorder.everythings() > 0);
        }

        @Test
        @DisplayName("a publisher silent for many heartbeats, heard again with its next number, has lost nothing")
        void quietPublisher() throws Exception {
            Duration heartbeat = Duration.ofMillis(20);
            RedisInvalidationBus bus = busOn(TestRedis.redisOn(prefix).busHeartbeat(heartbeat));
            Recorder recorder = listenTo(bus);
            String publisher = UUID.randomUUID().toString();
            send(message(publisher, 1, "before"));
            Eventually.await("the first message", WAIT, () -> recorder.heard.size() == 1);

            // as a receiver starved of CPU for a while sees it: twenty heartbeats of silence
            Thread.sleep(heartbeat.multipliedBy(20).toMillis());
            send(message(publisher, 2, "after"));

            Eventually.await("the second message", WAIT, () -> recorder.heard.size() == 2);
            assertThat(recorder.heard).containsExactly(ofKey("other-engine", "before"), ofKey("other-engine", "after"));
            assertThat(bus.statistics().lossesDetected()).isZero();
        }

        @Test
        @DisplayName("an unreadable message makes the listeners drop everything, and the bus goes on")
        void unreadable() throws Exception {
            RedisInvalidationBus bus = bus();
            Recorder recorder = listenTo(bus);
            String publisher = UUID.randomUUID().toString();

            send(
                    "hello",
                    "1\n" + publisher + "\nnot-a-number\norigin\nkey\nplayers\nx",
                    "2\n" + publisher + "\n1\norigin\nkey\nplayers\nx",
                    "1\n" + publisher + "\n1\norigin\nkey\n\nx",
                    "1\n" + publisher + "\n1\norigin\nsome\nplayers\nx",
                    message(publisher, 1, "readable"));

            Eventually.await("six deliveries", WAIT, () -> recorder.heard.size() >= 6);
            assertThat(recorder.heard.subList(0, 5)).allMatch(Invalidation::isEverything);
            assertThat(recorder.heard.get(5)).isEqualTo(ofKey("other-engine", "readable"));
            assertThat(bus.statistics().unreadable()).isEqualTo(5);
            assertThat(bus.isSubscribed()).isTrue();
        }

        @Test
        @DisplayName("a dropped subscription makes the listeners drop everything, and again once subscribed anew")
        void subscriptionDropped() throws Exception {
            try (OwnedRedis redis = OwnedRedis.start()) {
                RedisHuddleBuilder onOwned = RedisHuddle.builder().uri(redis.uri());
                RedisInvalidationBus a = busOn(onOwned);
                RedisInvalidationBus b = busOn(RedisHuddle.builder().uri(redis.uri()));
                Recorder recorder = listenTo(a);

                redis.stop();
                Eventually.await("everything after the drop", WAIT, () -> recorder.everythings() == 1);
                redis.restart();
                Eventually.await(
                        "everything after subscribing again",
                        WAIT,
                        () -> a.isSubscribed() && recorder.everythings() >= 2);

                Eventually.await("delivery works again", WAIT, () -> {
                    b.publish(ofKey("engine-b", "after"));
                    return recorder.count(ofKey("engine-b", "after")) > 0;
                });
            } finally {
                ports.forEach(RedisHuddle::close);
            }
        }

        @Test
        @DisplayName("publishing never throws while Redis is down, and what could not be sent is noticed as lost")
        void publishWhileDown() throws Exception {
            try (OwnedRedis redis = OwnedRedis.start()) {
                RedisInvalidationBus a = busOn(RedisHuddle.builder().uri(redis.uri()));
                RedisInvalidationBus b = busOn(RedisHuddle.builder().uri(redis.uri()));
                Recorder heardByA = listenTo(a);
                Recorder heardByB = listenTo(b);
                a.publish(ofKey("engine-a", "before"));
                Eventually.await("B heard A", WAIT, () -> heardByB.count(ofKey("engine-a", "before")) == 1);

                redis.stop();
                int published = BusSender.QUEUE_CAPACITY + 100;
                assertThatCode(() -> {
                            for (int i = 0; i < published; i++) {
                                a.publish(ofKey("engine-a", "down-" + i));
                            }
                        })
                        .doesNotThrowAnyException();
                assertThat(heardByA.heard.stream().filter(heard -> !heard.isEverything()))
                        .as("this process's listeners hear every message")
                        .hasSize(published + 1);
                Eventually.await(
                        "every message sent while down counted as a failure",
                        WAIT,
                        () -> a.statistics().sendFailures() == published);
                assertThat(a.statistics().sent()).isEqualTo(1);

                redis.restart();
                Eventually.await(
                        "B noticed A's lost messages",
                        WAIT,
                        () -> b.statistics().lossesDetected() > 0);
            } finally {
                ports.forEach(RedisHuddle::close);
            }
        }
    }

    @Nested
    @DisplayName("closing")
    class Closing {
        @Test
        @DisplayName("close is idempotent; afterwards publishing does nothing and the subscription is gone")
        void closeIdempotent() throws Exception {
            RedisInvalidationBus bus = bus();
            Recorder recorder = listenTo(bus);

            bus.close();
            bus.close();

            assertThat(bus.isSubscribed()).isFalse();
            assertThatCode(() -> bus.publish(ofKey("engine-a", "15"))).doesNotThrowAnyException();
            assertThat(recorder.heard).isEmpty();
            assertThat(bus.statistics().sent()).isZero();
        }

        @Test
        @DisplayName("the bus closes with its port, and a closed port makes none")
        void closesWithPort() throws Exception {
            RedisInvalidationBus bus = bus();
            RedisHuddle port = ports.get(0);

            port.close();

            assertThat(bus.isSubscribed()).isFalse();
            assertThatThrownBy(port::invalidationBus).isInstanceOf(io.huddle.core.spi.CacheBackendException.class);
        }

        @Test
        @DisplayName("the heartbeat must be at least a millisecond")
        void heartbeatChecked() {
            RedisHuddleBuilder builder = RedisHuddle.builder();
            assertThatThrownBy(() -> builder.busHeartbeat(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("busHeartbeat");
            assertThatThrownBy(() -> builder.busHeartbeat(Duration.ofNanos(10)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("busHeartbeat");
        }
    }
}
