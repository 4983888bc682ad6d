package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.testkit.Eventually;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

@DisplayName("A subscription whose connection falls silent notices it and subscribes again")
class RedisSubscriptionIT {
    private final String channel = TestRedis.newPrefix() + ":1:~test";
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger subscribed = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final RedisSubscription.Listener listener = new RedisSubscription.Listener() {
        @Override
        public void onMessage(String message) {
            messages.add(message);
        }

        @Override
        public void onSubscribed() {
            subscribed.incrementAndGet();
        }

        @Override
        public void onDropped(String reason) {
            dropped.incrementAndGet();
        }
    };

    @Test
    @DisplayName("PINGs on a healthy connection, however many, never drop it")
    void pingsNeverDropAHealthyConnection() throws Exception {
        try (RedisHuddle port = TestRedis.redisOn(TestRedis.newPrefix()).build();
                RedisSubscription subscription = port.subscribe(channel, listener, Duration.ofHours(1))) {
            assertThat(subscription.awaitSubscribed(Duration.ofSeconds(10))).isTrue();

            // under RESP3 a PING's answer could reach the reader before Jedis expected it: a drop
            for (int i = 0; i < 3_000; i++) {
                subscription.pingNow();
            }
            try (UnifiedJedis publisher = TestRedis.rawClient()) {
                publisher.publish(channel, "after the pings");
            }
            Eventually.await(
                    "a message after the pings", Duration.ofSeconds(10), () -> messages.contains("after the pings"));

            assertThat(dropped).as("drops of a healthy subscription").hasValue(0);
            assertThat(subscribed).hasValue(1);
        }
    }

    @Test
    @DisplayName(
            "no answer to its PINGs: it tells the listener, closes the silent connection, subscribes on a new one and hears again")
    void silentConnection() throws Exception {
        URI redis = TestRedis.uri();
        try (SilencingProxy proxy = new SilencingProxy(redis.getHost(), redis.getPort());
                RedisHuddle port = RedisHuddle.builder()
                        .standalone("127.0.0.1", proxy.port())
                        .build();
                RedisSubscription subscription = port.subscribe(channel, listener, Duration.ofMillis(100));
                UnifiedJedis publisher = TestRedis.rawClient()) {
            assertThat(subscription.awaitSubscribed(Duration.ofSeconds(10))).isTrue();
            publisher.publish(channel, "before");
            Eventually.await("the first message", Duration.ofSeconds(10), () -> messages.contains("before"));

            proxy.silenceOpenConnections();

            Eventually.await("the silence is noticed", Duration.ofSeconds(10), () -> dropped.get() == 1);
            Eventually.await("subscribed again", Duration.ofSeconds(10), () -> subscribed.get() == 2);
            publisher.publish(channel, "after");
            Eventually.await("a message after the silence", Duration.ofSeconds(10), () -> messages.contains("after"));
            assertThat(subscription.isSubscribed()).isTrue();
            Eventually.await(
                    "the silent connection is closed, not left to its thread",
                    Duration.ofSeconds(10),
                    () -> proxy.silencedAndClosedByClient() >= 1);
        }
    }
}
