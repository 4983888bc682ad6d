package io.huddle.redis;

import io.huddle.core.internal.QuietLog;
import io.huddle.core.memory.InProcessInvalidationBus;
import io.huddle.core.spi.BusStatistics;
import io.huddle.core.spi.Invalidation;
import io.huddle.core.spi.InvalidationBus;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link InvalidationBus} on Redis pub/sub: one channel per key prefix and schema version
 * ({@code <prefix>:<schema>:~invalidations}), which every server's bus publishes to and listens on.
 * Its messages are {@link BusMessages}' lines of text.
 *
 * <p><b>Publishing never waits for Redis.</b> {@link #publish} hands the message to this process's
 * listeners at once, on the caller's thread, and queues it for the {@link BusSender}'s daemon thread,
 * which sends what has queued up in one pipeline. A message that cannot be sent (Redis down, queue
 * full) is counted and dropped; it never fails the caller.
 *
 * <p><b>Loss is detected, not hidden.</b> Each bus numbers its messages 1, 2, 3... when they are
 * queued, and every heartbeat interval (1 s unless set) sends a heartbeat carrying its latest number.
 * A receiver that sees a number skipped ({@link PublisherSequences}: a message was dropped, failed,
 * or not heard) tells its listeners {@link Invalidation#everything everything} may have changed, and
 * so it does whenever its subscription drops and is made again (pub/sub keeps nothing for an absent
 * subscriber), and for a message it cannot read. A message lost as a publisher's last one is thus
 * noticed within one interval of its next heartbeat reaching Redis.
 *
 * <p><b>How stale a local copy can be.</b> With {@code TieredCachePort} as the engine's backend: while
 * Redis and the bus work, another server's local copy is dropped one pub/sub round trip after the
 * write; after a loss, one heartbeat interval after the loss is seen; and whatever happens to
 * Redis or the bus, never later than the tiered port's {@code localTtl}, which bounds every local
 * copy's life.
 *
 * <p>A bus ignores its own messages when Redis sends them back: its listeners heard them at
 * publishing. Listeners run on the caller's thread for this process's messages and on the
 * subscription's thread for other servers'; a listener that throws is logged and does not stop the
 * others. Thread-safe. Made by {@link RedisHuddle#invalidationBus()} and closed with it.
 */
final class RedisInvalidationBus implements InvalidationBus {
    private static final Logger log = LoggerFactory.getLogger(RedisInvalidationBus.class);

    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);

    private final String channel;
    private final String publisherId = UUID.randomUUID().toString();
    /** This process's listeners: what is published here, and heard from other servers, goes to them. */
    private final InProcessInvalidationBus listeners = new InProcessInvalidationBus();

    private final AtomicBoolean closed = new AtomicBoolean();
    private final PublisherSequences sequences;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong lossesDetected = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final QuietLog lossLog = new QuietLog(log);
    private final AtomicBoolean warnedUnreadable = new AtomicBoolean();

    private final RedisSubscription subscription;
    private final BusSender sender;

    /** A bus on the connection's Redis; the connection hears of each drop of its subscription too. */
    RedisInvalidationBus(RedisConnection redis, Duration heartbeat) {
        this.channel = redis.keys().channel("invalidations");
        long heartbeatNanos = heartbeat.toNanos();
        this.sequences = new PublisherSequences(heartbeatNanos, System.nanoTime());
        this.subscription = redis.subscribe(channel, new Receiver(redis));
        this.sender = new BusSender(redis.client(), channel, publisherId, heartbeatNanos, this::afterBeat);
    }

    /**
     * Hands the message to this process's listeners, then queues it for the other servers. Never
     * blocks on Redis, and never throws for Redis trouble; does nothing once closed.
     *
     * @throws IllegalArgumentException if the origin or the kind holds a line break
     */
    @Override
    public void publish(Invalidation invalidation) {
        Objects.requireNonNull(invalidation, "invalidation");
        if (closed.get()) {
            return;
        }
        String body = BusMessages.body(invalidation);
        listeners.publish(invalidation);
        sender.offer(body);
    }

    @Override
    public Subscription subscribe(Consumer<Invalidation> listener) {
        Objects.requireNonNull(listener, "listener");
        return listeners.subscribe(listener);
    }

    /** What the bus has sent, received and found lost, in this process. */
    @Override
    public BusStatistics statistics() {
        return new BusStatistics(
                sender.sent(), sender.sendFailures(), received.get(), lossesDetected.get(), unreadable.get());
    }

    /** Sends what is queued (one attempt), then stops the sender, the heartbeat and the subscription. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listeners.close();
        sender.close();
        subscription.close();
    }

    @Override
    public String toString() {
        return "RedisInvalidationBus{channel=" + channel + ", publisher=" + publisherId
                + (closed.get() ? ", closed" : "") + '}';
    }

    // ---- for tests and diagnostics

    /** Waits until the first subscription is in place; false if it is not within the timeout. */
    boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return subscription.awaitSubscribed(timeout);
    }

    /** Whether the subscription is in place now. */
    boolean isSubscribed() {
        return subscription.isSubscribed();
    }

    /** This bus's publisher id, the second field of its messages. */
    String publisherId() {
        return publisherId;
    }

    // ---- receiving

    /** Forgets publishers silent for a while (closed buses), but only while listening: a drop silences everyone. */
    private void afterBeat(long now) {
        if (subscription.isSubscribed()) {
            sequences.forgetSilent(now);
        }
    }

    private void lost(String why) {
        lossesDetected.incrementAndGet();
        lossLog.warn(
                "invalidations on Redis channel {} may have been lost ({}): every local copy is distrusted until Redis confirms it",
                channel,
                why);
        listeners.publish(Invalidation.everything(publisherId));
    }

    private final class Receiver implements RedisSubscription.Listener {
        private final RedisConnection redis;

        Receiver(RedisConnection redis) {
            this.redis = redis;
        }

        @Override
        public void onMessage(String text) {
            Optional<BusMessages.Message> read = BusMessages.read(text);
            if (read.isEmpty()) {
                unreadable.incrementAndGet();
                if (warnedUnreadable.compareAndSet(false, true)) {
                    log.warn("unreadable message on Redis channel {}, treated as lost messages: {}", channel, text);
                } else {
                    log.debug("unreadable message on Redis channel {}: {}", channel, text);
                }
                lost("an unreadable message");
                return;
            }
            BusMessages.Message message = read.get();
            if (message.publisher().equals(publisherId)) {
                return;
            }
            if (!sequences.inSequence(message, System.nanoTime())) {
                lost("messages from publisher " + message.publisher() + " are missing");
            }
            if (!message.isBeat()) {
                listeners.publish(message.invalidation());
                // counted once handed over, so a caller that sees the count sees the listeners' effect
                received.incrementAndGet();
            }
        }

        @Override
        public void onSubscribed() {
            sequences.subscribed(System.nanoTime());
            // messages sent while not subscribed are gone
            listeners.publish(Invalidation.everything(publisherId));
            redis.subscriptionRestored();
        }

        @Override
        public void onDropped(String reason) {
            redis.subscriptionDropped();
            listeners.publish(Invalidation.everything(publisherId));
        }
    }
}
