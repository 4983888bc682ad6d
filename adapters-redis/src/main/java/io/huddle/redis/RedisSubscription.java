package io.huddle.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A subscription to one Redis pub/sub channel that outlives Redis going away: a daemon thread holds
 * the subscribed connection, and when it drops (Redis stopped, restarted, the connection cut) tells
 * its listener and subscribes again, waiting a little longer after each failure (up to two
 * seconds). The listener hears of every (re)subscription, because messages sent while it was not
 * subscribed are lost for good. Thread-safe.
 */
final class RedisSubscription implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisSubscription.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(50);
    private static final Duration LAST_RETRY = Duration.ofSeconds(2);

    /** What the subscription tells its owner; called on the subscription's own thread. */
    interface Listener {
        /** A message arrived on the channel. */
        void onMessage(String message);

        /** The subscription is (again) in place: messages from now on arrive. */
        void onSubscribed();

        /** The subscription dropped: messages from now until the next {@link #onSubscribed} are lost. */
        void onDropped(String reason);
    }

    private final UnifiedJedis client;
    private final String channel;
    private final Listener listener;
    private final Thread thread;
    private final CountDownLatch firstSubscribed = new CountDownLatch(1);
    private volatile JedisPubSub current;
    private volatile boolean subscribed;
    private volatile boolean closed;

    RedisSubscription(UnifiedJedis client, String channel, Listener listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.thread = new Thread(this::run, "huddle-redis-subscription-" + channel);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Whether the subscription is in place now. */
    boolean isSubscribed() {
        return subscribed;
    }

    /** Waits until the first subscription is in place; false if it is not within the timeout. */
    boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return firstSubscribed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        while (!closed) {
            JedisPubSub pubSub = new PubSub();
            current = pubSub;
            String reason;
            try {
                client.subscribe(pubSub, channel);
                reason = "the subscription ended";
            } catch (JedisException | IllegalStateException e) {
                reason = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
            }
            boolean wasSubscribed = subscribed;
            subscribed = false;
            if (closed) {
                return;
            }
            if (wasSubscribed) {
                retry = FIRST_RETRY;
                log.warn("lost the subscription to Redis channel {}: {}; subscribing again", channel, reason);
                listener.onDropped(reason);
            } else {
                log.debug("cannot subscribe to Redis channel {} yet: {}", channel, reason);
            }
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        }
    }

    /** Unsubscribes and stops the thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        JedisPubSub pubSub = current;
        if (pubSub != null && pubSub.isSubscribed()) {
            try {
                pubSub.unsubscribe();
            } catch (JedisException e) {
                log.debug("unsubscribing from {} failed: {}", channel, e.getMessage());
            }
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class PubSub extends JedisPubSub {
        @Override
        public void onSubscribe(String subscribedChannel, int subscribedChannels) {
            if (closed) {
                // closed while subscribing: close() could not unsubscribe yet
                unsubscribe();
                return;
            }
            subscribed = true;
            listener.onSubscribed();
            firstSubscribed.countDown();
        }

        @Override
        public void onMessage(String messageChannel, String message) {
            try {
                listener.onMessage(message);
            } catch (RuntimeException e) {
                log.warn("a message on Redis channel {} could not be handled: {}", channel, message, e);
            }
        }
    }
}
