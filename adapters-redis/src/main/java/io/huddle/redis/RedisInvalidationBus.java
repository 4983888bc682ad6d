package io.huddle.redis;

import io.huddle.core.memory.InProcessInvalidationBus;
import io.huddle.core.spi.Invalidation;
import io.huddle.core.spi.InvalidationBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * An {@link InvalidationBus} on Redis pub/sub: one channel per key prefix and schema version
 * ({@code <prefix>:<schema>:~invalidations}), which every server's bus publishes to and listens on.
 *
 * <p><b>Publishing never waits for Redis.</b> {@link #publish} hands the message to this process's
 * listeners at once, on the caller's thread, and queues it (at most {@value #QUEUE_CAPACITY}
 * messages) for one daemon sender thread, which sends what has queued up in one pipeline. A message
 * that cannot be sent (Redis down, queue full) is counted and dropped; it never fails the caller.
 *
 * <p><b>Loss is detected, not hidden.</b> Each bus numbers its messages 1, 2, 3... when they are
 * queued, and every heartbeat interval (1 s unless set) sends a heartbeat carrying its latest number.
 * A receiver that sees a number skipped (a message was dropped, failed, or not heard) tells its
 * listeners {@link Invalidation#everything everything} may have changed, and so it does whenever
 * its subscription drops and is made again (pub/sub keeps nothing for an absent subscriber), and
 * for a message it cannot read. A publisher not heard from, heartbeats included, for 300 intervals
 * is forgotten (it closed); if it is heard again with a number other than its first, that too is a
 * loss. A publisher heard for the first time more than five intervals after subscribing must start
 * at its first number, or the messages before were lost. A
 * message lost as a publisher's last one is thus noticed within one interval of its next heartbeat
 * reaching Redis.
 *
 * <p><b>How stale a local copy can be.</b> With {@code TieredCachePort} as the engine's backend: while
 * Redis and the bus work, another server's local copy is dropped one pub/sub round trip after the
 * write; after a loss, one heartbeat interval after the loss is seen; and whatever happens to
 * Redis or the bus, never later than the tiered port's {@code localTtl}, which bounds every local
 * copy's life.
 *
 * <p>Messages are lines of text: format version ({@code 1}), publisher id, sequence number, origin,
 * scope ({@code key}, {@code kind}, {@code all} or {@code beat}), kind, id. Ids hold no control
 * characters ({@code CacheKey} forbids them), so a line break separates fields safely. A bus ignores
 * its own messages when Redis sends them back: its listeners heard them at publishing.
 *
 * <p>Listeners run on the caller's thread for this process's messages and on the subscription's
 * thread for other servers'; a listener that throws is logged and does not stop the others.
 * Thread-safe.
 */
final class RedisInvalidationBus implements InvalidationBus {
    private static final Logger log = LoggerFactory.getLogger(RedisInvalidationBus.class);

    static final String FORMAT = "1";
    static final String KEY = "key";
    static final String KIND = "kind";
    static final String ALL = "all";
    static final String BEAT = "beat";
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    static final int QUEUE_CAPACITY = 10_000;

    private static final int FIELDS = 7;
    private static final int BATCH = 256;
    /** A publisher first heard this soon after subscribing may start past its first number. */
    private static final int FIRST_HEARD_WITHIN_BEATS = 5;
    /**
     * A publisher silent this long has closed and is forgotten. Long: a receiver starved of CPU for a
     * few seconds must not forget a live publisher and then take its next heartbeat for a loss.
     */
    private static final int FORGET_AFTER_BEATS = 300;

    private static final Outgoing STOP = new Outgoing("");
    private static final String PUBLISH_ON_CHANNEL_NODE = "return redis.call('PUBLISH', ARGV[1], ARGV[2])";

    private final UnifiedJedis client;
    private final String channel;
    private final long heartbeatNanos;
    private final Runnable onDropped;
    private final Runnable onSubscribed;
    private final String publisherId = UUID.randomUUID().toString();
    /** This process's listeners: what is published here, and heard from other servers, goes to them. */
    private final InProcessInvalidationBus listeners = new InProcessInvalidationBus();

    private final AtomicBoolean closed = new AtomicBoolean();

    /** Bounded to {@link #QUEUE_CAPACITY} by {@link #publish}, so that {@link #close} can always wake the sender. */
    private final LinkedBlockingQueue<Outgoing> queue = new LinkedBlockingQueue<>();

    private final Object sequenceLock = new Object();
    /** The number of the latest message queued or dropped; guarded by {@link #sequenceLock}. */
    private long sequence;

    /** The last number heard from each other publisher; guarded by itself, as is {@link #subscribedAt}. */
    private final Map<String, Heard> publishers = new HashMap<>();

    private long subscribedAt = System.nanoTime();

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong lossesDetected = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final QuietLog lossLog = new QuietLog();
    private final QuietLog sendLog = new QuietLog();
    private final AtomicBoolean warnedUnreadable = new AtomicBoolean();

    private final RedisSubscription subscription;
    private final Thread sender;

    /** A bus on the port's Redis; the port hears of each drop of its subscription too. */
    RedisInvalidationBus(RedisCachePort port, String channel, Duration heartbeat) {
        this.onDropped = port::subscriptionDropped;
        this.onSubscribed = port::subscriptionRestored;
        this.client = port.client();
        this.channel = Objects.requireNonNull(channel, "channel");
        this.heartbeatNanos = heartbeat.toNanos();
        this.subscription = port.subscribe(channel, new Receiver());
        this.sender = new Thread(this::sendUntilClosed, "huddle-redis-bus-sender-" + channel);
        this.sender.setDaemon(true);
        this.sender.start();
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
        String scope = invalidation.isEverything() ? ALL : invalidation.id().isPresent() ? KEY : KIND;
        String rest = lineFree("origin", invalidation.origin())
                + '\n'
                + scope
                + '\n'
                + lineFree("kind", invalidation.kind().orElse(""))
                + '\n'
                + lineFree("id", invalidation.id().orElse(""));
        deliver(invalidation);
        boolean dropped;
        synchronized (sequenceLock) {
            long number = ++sequence;
            dropped = queue.size() >= QUEUE_CAPACITY;
            if (!dropped) {
                queue.add(new Outgoing(text(number, rest)));
            }
        }
        if (dropped) {
            sendFailures.incrementAndGet();
            sendLog.warn(
                    "the Redis invalidation queue is full ({} messages): dropping messages, which other servers"
                            + " will notice as lost",
                    QUEUE_CAPACITY);
        }
    }

    @Override
    public Subscription subscribe(Consumer<Invalidation> listener) {
        Objects.requireNonNull(listener, "listener");
        return listeners.subscribe(listener);
    }

    /** Sends what is queued (one attempt), then stops the sender, the heartbeat and the subscription. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listeners.close();
        queue.add(STOP);
        try {
            sender.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** Messages (not heartbeats) sent to Redis. */
    long sent() {
        return sent.get();
    }

    /** Messages that could not be sent: Redis failed, or the queue was full. */
    long sendFailures() {
        return sendFailures.get();
    }

    /** Messages from other publishers handed to the listeners. */
    long received() {
        return received.get();
    }

    /** Times the listeners were told everything changed because messages were missing or unreadable. */
    long lossesDetected() {
        return lossesDetected.get();
    }

    /** Messages that could not be read. */
    long unreadable() {
        return unreadable.get();
    }

    // ---- sending

    private record Outgoing(String text) {}

    private String text(long number, String rest) {
        return FORMAT + '\n' + publisherId + '\n' + number + '\n' + rest;
    }

    private static String lineFree(String field, String value) {
        if (value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an invalidation's " + field + " must not hold a line break");
        }
        return value;
    }

    private void sendUntilClosed() {
        long nextBeat = System.nanoTime() + heartbeatNanos;
        List<Outgoing> batch = new ArrayList<>(BATCH);
        while (!closed.get()) {
            Outgoing first;
            try {
                first = queue.poll(Math.max(0, nextBeat - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                send(batch);
                batch.clear();
            }
            long now = System.nanoTime();
            if (now - nextBeat >= 0) {
                beat();
                forgetSilentPublishers(now);
                nextBeat = now + heartbeatNanos;
            }
        }
        queue.drainTo(batch);
        send(batch);
    }

    private void send(List<Outgoing> batch) {
        batch.remove(STOP);
        if (batch.isEmpty()) {
            return;
        }
        int done = 0;
        try {
            if (batch.size() == 1 || client instanceof RedisClusterClient) {
                // a Cluster pipeline routes by key, and PUBLISH has none
                for (Outgoing message : batch) {
                    publishInOrder(message.text());
                    done++;
                }
            } else {
                try (AbstractPipeline pipeline = client.pipelined()) {
                    for (Outgoing message : batch) {
                        pipeline.publish(channel, message.text());
                    }
                    pipeline.sync();
                }
                done = batch.size();
            }
        } catch (RuntimeException e) {
            // a failure of any kind must not stop the sender thread
            sendFailures.addAndGet(batch.size() - done);
            sendLog.warn(
                    "cannot send invalidations to Redis channel {}: {}; other servers will notice them as lost",
                    channel,
                    Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()));
        } finally {
            sent.addAndGet(done);
        }
    }

    /**
     * Publishes one message. On a Cluster, Jedis sends a keyless PUBLISH to any node, so that two
     * messages could reach a subscriber by different paths and out of order (a false loss); a script
     * that names the channel as its key always runs on the channel's node, in the order sent.
     */
    private void publishInOrder(String text) {
        if (client instanceof RedisClusterClient) {
            client.eval(PUBLISH_ON_CHANNEL_NODE, List.of(channel), List.of(channel, text));
        } else {
            client.publish(channel, text);
        }
    }

    /**
     * Sends the latest number, unless messages are waiting (they carry numbers themselves): every
     * message numbered up to it has then been sent or dropped, so a receiver that has not heard it
     * has lost it.
     */
    private void beat() {
        long latest;
        synchronized (sequenceLock) {
            if (!queue.isEmpty()) {
                return;
            }
            latest = sequence;
        }
        try {
            publishInOrder(text(latest, "\n" + BEAT + "\n\n"));
        } catch (RuntimeException e) {
            log.debug("cannot send a heartbeat to Redis channel {}: {}", channel, e.getMessage());
        }
    }

    /** Forgets publishers silent for a while (closed buses), but only while listening: a drop silences everyone. */
    private void forgetSilentPublishers(long now) {
        if (!subscription.isSubscribed()) {
            return;
        }
        long silence = heartbeatNanos * FORGET_AFTER_BEATS;
        synchronized (publishers) {
            publishers.values().removeIf(heard -> now - heard.at > silence);
        }
    }

    // ---- receiving

    /** The last number heard from a publisher, and when. */
    private static final class Heard {
        long sequence;
        long at;
    }

    /** A message read from the channel; {@code invalidation} is null for a heartbeat. */
    private record Message(String publisher, long sequence, Invalidation invalidation) {
        boolean isBeat() {
            return invalidation == null;
        }
    }

    private final class Receiver implements RedisSubscription.Listener {
        @Override
        public void onMessage(String text) {
            Optional<Message> read = read(text);
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
            Message message = read.get();
            if (message.publisher().equals(publisherId)) {
                return;
            }
            if (!inSequence(message)) {
                lost("messages from publisher " + message.publisher() + " are missing");
            }
            if (!message.isBeat()) {
                deliver(message.invalidation());
                // counted once handed over, so a caller that sees the count sees the listeners' effect
                received.incrementAndGet();
            }
        }

        @Override
        public void onSubscribed() {
            long now = System.nanoTime();
            synchronized (publishers) {
                subscribedAt = now;
                // the drop silenced everyone: do not forget them for it
                publishers.values().forEach(heard -> heard.at = now);
            }
            // messages sent while not subscribed are gone
            deliver(Invalidation.everything(publisherId));
            onSubscribed.run();
        }

        @Override
        public void onDropped(String reason) {
            onDropped.run();
            deliver(Invalidation.everything(publisherId));
        }
    }

    /**
     * Whether the message follows the last one heard from its publisher, and remembers it. A
     * publisher heard for the first time is in sequence if this is its first number, or if the
     * subscription is recent enough that its earlier messages predate it (everything was dropped on
     * subscribing).
     */
    private boolean inSequence(Message message) {
        long now = System.nanoTime();
        long first = message.isBeat() ? 0 : 1;
        synchronized (publishers) {
            Heard heard = publishers.get(message.publisher());
            boolean inSequence;
            if (heard == null) {
                heard = new Heard();
                publishers.put(message.publisher(), heard);
                inSequence =
                        message.sequence() == first || now - subscribedAt <= heartbeatNanos * FIRST_HEARD_WITHIN_BEATS;
            } else {
                inSequence = message.sequence() == heard.sequence + first;
            }
            heard.sequence = message.sequence();
            heard.at = now;
            return inSequence;
        }
    }

    private void lost(String why) {
        lossesDetected.incrementAndGet();
        lossLog.warn(
                "invalidations on Redis channel {} may have been lost ({}): dropping every local copy", channel, why);
        deliver(Invalidation.everything(publisherId));
    }

    /** The message in {@code text}, or empty if it is not one this format can read. */
    private static Optional<Message> read(String text) {
        String[] fields = text.split("\n", -1);
        if (fields.length != FIELDS || !fields[0].equals(FORMAT) || fields[1].isEmpty()) {
            return Optional.empty();
        }
        long number;
        try {
            number = Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String origin = fields[3];
        String scope = fields[4];
        String kind = fields[5];
        String id = fields[6];
        boolean valid = switch (scope) {
            case BEAT -> number >= 0 && origin.isEmpty() && kind.isEmpty() && id.isEmpty();
            case ALL -> number > 0 && !origin.isEmpty() && kind.isEmpty() && id.isEmpty();
            case KIND -> number > 0 && !origin.isEmpty() && !kind.isEmpty() && id.isEmpty();
            case KEY -> number > 0 && !origin.isEmpty() && !kind.isEmpty() && !id.isEmpty();
            default -> false;
        };
        if (!valid) {
            return Optional.empty();
        }
        Invalidation invalidation = scope.equals(BEAT) ? null : new Invalidation(origin, optional(kind), optional(id));
        return Optional.of(new Message(fields[1], number, invalidation));
    }

    private static Optional<String> optional(String field) {
        return field.isEmpty() ? Optional.empty() : Optional.of(field);
    }

    private void deliver(Invalidation invalidation) {
        listeners.publish(invalidation);
    }

    /** Logs a warning once per burst: the first at once, then at most one a minute with the count between. */
    private static final class QuietLog {
        private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

        private final AtomicLong lastAt = new AtomicLong(System.nanoTime() - QUIET_NANOS);
        private final AtomicLong suppressed = new AtomicLong();

        void warn(String format, Object... arguments) {
            long now = System.nanoTime();
            long last = lastAt.get();
            if (now - last >= QUIET_NANOS && lastAt.compareAndSet(last, now)) {
                long more = suppressed.getAndSet(0);
                if (more > 0) {
                    log.warn(format + " ({} more since the last report)", append(arguments, more));
                } else {
                    log.warn(format, arguments);
                }
            } else {
                suppressed.incrementAndGet();
                log.debug(format, arguments);
            }
        }

        private static Object[] append(Object[] arguments, Object last) {
            Object[] all = java.util.Arrays.copyOf(arguments, arguments.length + 1);
            all[arguments.length] = last;
            return all;
        }
    }
}
