package io.huddle.redis;

import java.util.HashMap;
import java.util.Map;

/**
 * Loss detection of the {@link RedisInvalidationBus}: the last number heard from each other
 * publisher. A message is in sequence if it follows its publisher's last one (a heartbeat repeats the
 * latest number; a message carries the next). A publisher heard for the first time is in sequence
 * if this is its first number, or if the subscription is recent enough ({@value
 * #FIRST_HEARD_WITHIN_BEATS} heartbeats) that its earlier messages predate it (everything was
 * dropped on subscribing). A publisher silent for {@value #FORGET_AFTER_BEATS} heartbeats has closed
 * and is forgotten; heard again with a number other than its first, that too is a loss.
 *
 * <p>Times are {@link System#nanoTime()} values passed in. Thread-safe.
 */
final class PublisherSequences {
    /** A publisher first heard this soon after subscribing may start past its first number. */
    static final int FIRST_HEARD_WITHIN_BEATS = 5;
    /**
     * A publisher silent this long has closed and is forgotten. Long: a receiver starved of CPU for a
     * few seconds must not forget a live publisher and then take its next heartbeat for a loss.
     */
    static final int FORGET_AFTER_BEATS = 300;

    private final long heartbeatNanos;
    /** Guarded by itself, as is {@link #subscribedAt}. */
    private final Map<String, Heard> publishers = new HashMap<>();

    private long subscribedAt;

    PublisherSequences(long heartbeatNanos, long now) {
        this.heartbeatNanos = heartbeatNanos;
        this.subscribedAt = now;
    }

    /** Whether the message follows the last one heard from its publisher; remembers it. */
    boolean inSequence(BusMessages.Message message, long now) {
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

    /** The subscription is (again) in place: the drop silenced everyone, so none is forgotten for it. */
    void subscribed(long now) {
        synchronized (publishers) {
            subscribedAt = now;
            publishers.values().forEach(heard -> heard.at = now);
        }
    }

    /** Forgets the publishers silent for {@value #FORGET_AFTER_BEATS} heartbeats (closed buses). */
    void forgetSilent(long now) {
        long silence = heartbeatNanos * FORGET_AFTER_BEATS;
        synchronized (publishers) {
            publishers.values().removeIf(heard -> now - heard.at > silence);
        }
    }

    /** The last number heard from a publisher, and when. */
    private static final class Heard {
        long sequence;
        long at;
    }
}
