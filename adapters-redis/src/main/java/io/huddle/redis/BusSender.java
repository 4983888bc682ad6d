package io.huddle.redis;

import io.huddle.core.internal.DaemonThreads;
import io.huddle.core.internal.QuietLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The sending side of the {@link RedisInvalidationBus}: numbers each message 1, 2, 3... as it is
 * queued (at most {@value #QUEUE_CAPACITY}), and one daemon thread sends what has queued up in one
 * pipeline, and every heartbeat interval a heartbeat with the latest number. A message that cannot be
 * sent (Redis down, queue full) is counted and dropped; receivers notice the gap in the numbers.
 * Thread-safe.
 */
final class BusSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BusSender.class);
    static final int QUEUE_CAPACITY = 10_000;
    private static final int BATCH = 256;
    private static final String STOP = "";
    private static final String PUBLISH_ON_CHANNEL_NODE = "return redis.call('PUBLISH', ARGV[1], ARGV[2])";

    private final UnifiedJedis client;
    private final String channel;
    private final String publisherId;
    private final long heartbeatNanos;
    /** Called on the sender's thread after each heartbeat, with the time of it. */
    private final LongConsumer afterBeat;

    /** Bounded to {@link #QUEUE_CAPACITY} by {@link #offer}, so that {@link #close} can always wake the sender. */
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();

    private final Object sequenceLock = new Object();
    /** The number of the latest message queued or dropped; guarded by {@link #sequenceLock}. */
    private long sequence;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final QuietLog sendLog = new QuietLog(log);
    private final Thread sender;

    BusSender(UnifiedJedis client, String channel, String publisherId, long heartbeatNanos, LongConsumer afterBeat) {
        this.client = client;
        this.channel = channel;
        this.publisherId = publisherId;
        this.heartbeatNanos = heartbeatNanos;
        this.afterBeat = afterBeat;
        this.sender = DaemonThreads.start("huddle-redis-bus-sender-" + channel, this::sendUntilClosed);
    }

    /** Numbers the message and queues it; a full queue drops it (counted as a send failure). */
    void offer(String body) {
        boolean dropped;
        synchronized (sequenceLock) {
            long number = ++sequence;
            dropped = queue.size() >= QUEUE_CAPACITY;
            if (!dropped) {
                queue.add(BusMessages.text(publisherId, number, body));
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

    /** Messages (not heartbeats) sent to Redis. */
    long sent() {
        return sent.get();
    }

    /** Messages that could not be sent: Redis failed, or the queue was full. */
    long sendFailures() {
        return sendFailures.get();
    }

    /** Sends what is queued (one attempt), then stops the thread, waiting for it at most 5 s. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.add(STOP);
        try {
            sender.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendUntilClosed() {
        long nextBeat = System.nanoTime() + heartbeatNanos;
        List<String> batch = new ArrayList<>(BATCH);
        while (!closed.get()) {
            String first;
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
                afterBeat.accept(now);
                nextBeat = now + heartbeatNanos;
            }
        }
        queue.drainTo(batch);
        send(batch);
    }

    private void send(List<String> batch) {
        batch.removeIf(STOP::equals);
        if (batch.isEmpty()) {
            return;
        }
        int done = 0;
        try {
            if (batch.size() == 1 || client instanceof RedisClusterClient) {
                // a Cluster pipeline routes by key, and PUBLISH has none
                for (String message : batch) {
                    publishInOrder(message);
                    done++;
                }
            } else {
                try (AbstractPipeline pipeline = client.pipelined()) {
                    for (String message : batch) {
                        pipeline.publish(channel, message);
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
            publishInOrder(BusMessages.text(publisherId, latest, BusMessages.beatBody()));
        } catch (RuntimeException e) {
            log.debug("cannot send a heartbeat to Redis channel {}: {}", channel, e.getMessage());
        }
    }
}
