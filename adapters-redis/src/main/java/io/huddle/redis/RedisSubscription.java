package io.huddle.redis;

import io.huddle.core.internal.DaemonThreads;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A subscription to one Redis pub/sub channel that outlives Redis going away: a daemon thread holds
 * the subscribed connection, and when it drops (Redis stopped, restarted, the connection cut) tells
 * its listener and subscribes again, waiting a little longer after each failure (up to two
 * seconds). The listener hears of every (re)subscription, because messages sent while it was not
 * subscribed are lost for good.
 *
 * <p>A connection can also die without a word (a firewall or load balancer that forgets an idle
 * connection): a subscribed connection waits for messages with no timeout and would never notice.
 * So the subscription sends PING on it every {@code pingEvery} (5 seconds by default) and, when no
 * answer came for three of those, treats it as dropped: it tells the listener, subscribes again on a
 * new connection and closes the silent one, which frees its thread (repeated partitions leave
 * nothing behind). Given a source of connections of its own (for a Redis the {@link RedisConnection}
 * connected to itself), each subscription holds its own connection, outside the pool; without one it borrows from
 * the client's pool and a silent connection can only be left to its thread until TCP gives it up.
 * Thread-safe.
 */
final class RedisSubscription implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisSubscription.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(50);
    private static final Duration LAST_RETRY = Duration.ofSeconds(2);
    private static final Duration DEFAULT_PING_EVERY = Duration.ofSeconds(5);
    private static final int SILENT_PINGS = 3;

    /** What the subscription tells its owner; called on the subscription's own threads. */
    interface Listener {
        /** A message arrived on the channel. */
        void onMessage(String message);

        /** The subscription is (again) in place: messages from now on arrive. */
        void onSubscribed();

        /** The subscription dropped: messages from now until the next {@link #onSubscribed} are lost. */
        void onDropped(String reason);
    }

    private final UnifiedJedis client;
    /** Connections of the subscription's own, or null to borrow the client's. */
    private final Supplier<Connection> connections;

    private final String channel;
    private final Listener listener;
    private final long pingEveryNanos;
    private final ScheduledExecutorService watchdog;
    private final CountDownLatch firstSubscribed = new CountDownLatch(1);
    /** Which connection is the current one; the threads of earlier ones stop when they wake. */
    private final AtomicInteger generation = new AtomicInteger();

    private volatile PubSub current;
    private volatile boolean subscribed;
    private volatile boolean closed;

    RedisSubscription(UnifiedJedis client, Supplier<Connection> connections, String channel, Listener listener) {
        this(client, connections, channel, listener, DEFAULT_PING_EVERY);
    }

    RedisSubscription(
            UnifiedJedis client,
            Supplier<Connection> connections,
            String channel,
            Listener listener,
            Duration pingEvery) {
        this.client = Objects.requireNonNull(client, "client");
        this.connections = connections;
        this.channel = Objects.requireNonNull(channel, "channel");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.pingEveryNanos = pingEvery.toNanos();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("huddle-redis-subscription-watchdog-" + channel));
        watchdog.scheduleAtFixedRate(this::ping, pingEveryNanos, pingEveryNanos, TimeUnit.NANOSECONDS);
        start(generation.get());
    }

    /** Whether the subscription is in place now. */
    boolean isSubscribed() {
        return subscribed && !closed;
    }

    /** Waits until the first subscription is in place; false if it is not within the timeout. */
    boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return firstSubscribed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void start(int forGeneration) {
        DaemonThreads.start("huddle-redis-subscription-" + channel, () -> run(forGeneration));
    }

    private boolean isCurrent(int forGeneration) {
        return !closed && generation.get() == forGeneration;
    }

    private void run(int forGeneration) {
        Duration retry = FIRST_RETRY;
        while (isCurrent(forGeneration)) {
            PubSub pubSub = new PubSub(forGeneration);
            current = pubSub;
            String reason;
            try {
                subscribe(pubSub);
                reason = "the subscription ended";
            } catch (JedisException | IllegalStateException e) {
                reason = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
            }
            if (!isCurrent(forGeneration)) {
                return; // closed, or replaced by a new connection after this one fell silent
            }
            boolean wasSubscribed = subscribed;
            subscribed = false;
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

    /** Subscribes on a connection of the subscription's own, if it has a source of them, and waits. */
    private void subscribe(PubSub pubSub) {
        if (connections == null) {
            client.subscribe(pubSub, channel);
            return;
        }
        try (Connection connection = connections.get()) {
            pubSub.connection = connection;
            if (!isCurrent(pubSub.generation)) {
                return;
            }
            pubSub.proceed(connection, channel);
        }
    }

    /** Sends PING on the subscribed connection; gives it up if the last answers did not come. */
    private void ping() {
        PubSub pubSub = current;
        if (closed || pubSub == null || !subscribed || pubSub.generation != generation.get()) {
            return;
        }
        long silentNanos = System.nanoTime() - pubSub.lastHeardNanos;
        if (silentNanos > SILENT_PINGS * pingEveryNanos) {
            giveUp(pubSub, "no answer to PING for " + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms");
            return;
        }
        send(pubSub);
    }

    /** Sends one PING on the subscribed connection now, as the watchdog does (for tests). */
    void pingNow() {
        PubSub pubSub = current;
        if (pubSub != null && subscribed) {
            send(pubSub);
        }
    }

    private void send(PubSub pubSub) {
        try {
            pubSub.ping();
        } catch (JedisException | IllegalStateException e) {
            log.debug("cannot send PING on the subscription to {}: {}", channel, e.getMessage());
        }
    }

    /** Replaces a connection that fell silent with a new one, and tells the listener. */
    private void giveUp(PubSub silent, String reason) {
        if (!generation.compareAndSet(silent.generation, silent.generation + 1)) {
            return;
        }
        subscribed = false;
        log.warn("the subscription to Redis channel {} fell silent ({}); subscribing again", channel, reason);
        listener.onDropped(reason);
        start(silent.generation + 1);
        Connection connection = silent.connection;
        if (connection != null) {
            // closing the socket wakes the thread blocked reading it, which then ends
            connection.disconnect();
            return;
        }
        try {
            silent.unsubscribe();
        } catch (JedisException | IllegalStateException e) {
            log.debug("cannot unsubscribe the silent connection to {}: {}", channel, e.getMessage());
        }
    }

    /** Unsubscribes and stops the threads. Idempotent. */
    @Override
    public void close() {
        closed = true;
        subscribed = false;
        watchdog.shutdownNow();
        PubSub pubSub = current;
        if (pubSub != null && pubSub.isSubscribed()) {
            try {
                pubSub.unsubscribe();
            } catch (JedisException e) {
                log.debug("unsubscribing from {} failed: {}", channel, e.getMessage());
            }
        }
        Connection connection = pubSub == null ? null : pubSub.connection;
        if (connection != null) {
            // an own connection that fell silent would keep its thread: close it
            connection.disconnect();
        }
    }

    private final class PubSub extends JedisPubSub {
        final int generation;
        volatile long lastHeardNanos = System.nanoTime();
        volatile Connection connection;

        PubSub(int generation) {
            this.generation = generation;
        }

        @Override
        public void onSubscribe(String subscribedChannel, int subscribedChannels) {
            lastHeardNanos = System.nanoTime();
            if (!isCurrent(generation)) {
                // closed or replaced while subscribing: nobody else will unsubscribe this one
                unsubscribe();
                return;
            }
            subscribed = true;
            listener.onSubscribed();
            firstSubscribed.countDown();
        }

        @Override
        public void onPong(String pattern) {
            lastHeardNanos = System.nanoTime();
        }

        @Override
        public void onMessage(String messageChannel, String message) {
            lastHeardNanos = System.nanoTime();
            if (!isCurrent(generation)) {
                return;
            }
            try {
                listener.onMessage(message);
            } catch (RuntimeException e) {
                log.warn("a message on Redis channel {} could not be handled: {}", channel, message, e);
            }
        }
    }
}
