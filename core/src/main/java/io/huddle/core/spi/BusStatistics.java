package io.huddle.core.spi;

/**
 * What an {@link InvalidationBus} has done since it was made, for operators: an immutable snapshot.
 * An in-process bus counts no traffic between servers; a distributed one counts its messages.
 *
 * @param sent invalidations sent to the other servers (heartbeats not included)
 * @param sendFailures invalidations that could not be sent (the store failed, or the send queue was
 *     full); the other servers notice them as lost
 * @param received invalidations from other servers handed to this process's listeners
 * @param lossesDetected times the listeners were told that {@link Invalidation#everything everything}
 *     may have changed, because messages were missing or unreadable
 * @param unreadable messages that could not be read
 */
public record BusStatistics(long sent, long sendFailures, long received, long lossesDetected, long unreadable) {

    /** All zero. */
    public static final BusStatistics EMPTY = new BusStatistics(0, 0, 0, 0, 0);

    /** The counts of both added together: several buses as one. */
    public BusStatistics plus(BusStatistics other) {
        return new BusStatistics(
                sent + other.sent,
                sendFailures + other.sendFailures,
                received + other.received,
                lossesDetected + other.lossesDetected,
                unreadable + other.unreadable);
    }

    /** These counts less {@code earlier}'s, never below zero: what happened between two snapshots. */
    public BusStatistics minus(BusStatistics earlier) {
        return new BusStatistics(
                Math.max(0, sent - earlier.sent),
                Math.max(0, sendFailures - earlier.sendFailures),
                Math.max(0, received - earlier.received),
                Math.max(0, lossesDetected - earlier.lossesDetected),
                Math.max(0, unreadable - earlier.unreadable));
    }
}
