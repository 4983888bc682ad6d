package io.huddle.redis;

import io.huddle.core.api.CacheKey;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.internal.DaemonThreads;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.LoadAbandonedException;
import io.huddle.core.spi.LoadCoordinator.Claim;
import io.huddle.core.spi.PermitRefusedException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's waits for loads whose lease another server holds. A wait ends on the lease
 * channel's message about its lease: on "done" the value the message carries is handed to every
 * waiting user of this process at once, on the subscription's thread (no read of Redis); a "done"
 * without a value it can use (none, too large to carry, unreadable, or older than the message says)
 * makes it read the value once, on a reader thread of its own (off the subscription's thread, and
 * in parallel with other keys' reads and the lease checks), for every waiting user; on "failed" they
 * get the failure; on
 * "gone" (its key or kind was invalidated) they are abandoned, and the engine reads the key again.
 * A check at the lease's expiry catches a holder that died (its lease ran out with no message): the
 * check finds the lease gone and, in the same step, announces so on the channel; an outcome published
 * before arrives before that announcement, so a wait that hears its own announcement first knows its
 * holder was lost (no outcome is taken for a loss merely because its message was still on its way).
 * A wait looks at its lease as soon as it begins, as the holder may have finished just before: a
 * lease found gone then is treated the same way, so that an outcome on its way still ends the wait,
 * and a wait whose outcome this server missed ends at its own announcement (the engine claims the key
 * again). While no subscription can wake a wait, it looks at its lease every {@value
 * #UNSUBSCRIBED_CHECK_MILLIS} ms. Thread-safe.
 */
final class RemoteWaits implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteWaits.class);
    /** How often a wait looks at its lease while no subscription can wake it. */
    private static final long UNSUBSCRIBED_CHECK_MILLIS = 100;
    /** Why a wait ends whose lease was gone when it began, and no outcome came for it. */
    private static final String FINISHED_BEFORE = "its holder finished before this server began to wait";
    /** The threads that read values from Redis for waits whose "done" message carried none. */
    private static final int READERS = 4;

    private final LeaseProtocol protocol;
    private final RedisCachePort port;
    private final long leaseMillis;
    private final BooleanSupplier subscribed;
    private final LongAdder holdersLost;
    private final ConcurrentMap<String, RemoteWait> waits = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    /** Reads the values of "done" messages that carry none; a few threads, so that keys read in parallel. */
    private final ThreadPoolExecutor reader;

    private final LongAdder handedOver = new LongAdder();
    private final LongAdder readFromRedis = new LongAdder();

    /**
     * @param port where the holder's value is read from, and how a value handed over in a message is read
     * @param subscribed whether the lease channel's subscription is in place now
     * @param holdersLost counts the waits whose holder's lease ended without a message
     */
    RemoteWaits(
            LeaseProtocol protocol,
            RedisCachePort port,
            long leaseMillis,
            BooleanSupplier subscribed,
            LongAdder holdersLost,
            String threadName) {
        this.protocol = protocol;
        this.port = port;
        this.leaseMillis = leaseMillis;
        this.subscribed = subscribed;
        this.holdersLost = holdersLost;
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(threadName));
        this.reader = new ThreadPoolExecutor(
                READERS,
                READERS,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                DaemonThreads.named(threadName + "-reader"));
        reader.allowCoreThreadTimeOut(true);
    }

    /** Whether this process waits on the lease and has looked at it at least once since it began. */
    boolean hasLookedAt(String lease) {
        RemoteWait wait = waits.get(lease);
        return wait != null && wait.looked;
    }

    /** How many waits ended with the value their "done" message carried. */
    long valuesHandedOver() {
        return handedOver.sum();
    }

    /** How many waits ended by reading the value from Redis after their "done" message. */
    long valuesRead() {
        return readFromRedis.sum();
    }

    /** Waits for the holder of the lease; the local claim gets its outcome. */
    void await(CacheKey key, String lease, Claim localClaim) {
        RemoteWait wait = new RemoteWait(key, lease, localClaim);
        waits.put(lease, wait);
        // the holder may have finished before the wait was registered: its message would be lost
        schedule(wait, 0, true);
    }

    /** Outcomes announced while unsubscribed are lost: looks at every lease still awaited. */
    void checkAll() {
        waits.values().forEach(wait -> schedule(wait, 0, false));
    }

    /** Ends every wait with {@link LoadAbandonedException}. */
    void abandonAll(String reason) {
        waits.values().forEach(wait -> wait.abandon(reason));
    }

    /** Hands one message to its wait; a message that cannot be handled ends no wait wrongly, nor the reader. */
    void onMessage(String text) {
        try {
            handle(text);
        } catch (RuntimeException e) {
            log.warn(
                    "cannot handle a message on {}; its waits end at their lease's check: {}",
                    protocol.channel(),
                    e.toString());
        }
    }

    private void handle(String text) {
        Optional<LeaseProtocol.Message> read = LeaseProtocol.read(text);
        if (read.isEmpty()) {
            log.debug("ignoring a message on {} that is not a lease's: {}", protocol.channel(), text);
            return;
        }
        LeaseProtocol.Message message = read.get();
        if (LeaseProtocol.KIND_GONE.equals(message.event())) {
            waits.values().stream()
                    .filter(wait -> wait.key.kind().name().equals(message.subject()))
                    .forEach(wait -> wait.abandon("its kind was invalidated"));
            return;
        }
        RemoteWait wait = waits.get(message.subject());
        if (wait == null) {
            return;
        }
        switch (message.event()) {
            case LeaseProtocol.DONE -> {
                long writtenAt = message.writtenAtMillis();
                Optional<CacheEntry<?>> carried = message.entry().flatMap(bytes -> port.decode(wait.key, bytes));
                if (carried.isPresent() && EntryCodec.millisOf(carried.get().writtenAt()) >= writtenAt) {
                    wait.finishWith(carried.get());
                    return;
                }
                // read off the subscription's thread, which must keep reading messages
                try {
                    reader.execute(() -> wait.finishFromRedis(writtenAt));
                } catch (RejectedExecutionException closing) {
                    wait.abandon("the coordinator was closed");
                }
            }
            case LeaseProtocol.FAILED ->
                wait.fail(new RemoteLoadFailure(message.detail().orElse("no reason given"), null));
            case LeaseProtocol.REFUSED -> {
                // not the upstream's failure: the cause lets a waiting user load at its own priority
                PermitRefusedException refusal = LeaseProtocol.refusal(message.detail());
                wait.fail(new RemoteLoadFailure(refusal.getMessage(), refusal));
            }
            case LeaseProtocol.GONE -> wait.abandon("its key was invalidated");
            case LeaseProtocol.CHECKED -> {
                if (message.detail().filter(wait.id::equals).isEmpty()) {
                    return;
                }
                // this server found the lease gone, and no outcome came before its own message
                if (wait.goneAtFirstLook) {
                    wait.abandon(FINISHED_BEFORE);
                } else if (wait.abandon("its lease ended without an outcome")) {
                    holdersLost.increment();
                }
            }
            default -> log.debug("ignoring an unknown message on {}: {}", protocol.channel(), text);
        }
    }

    private void schedule(RemoteWait wait, long delayMillis, boolean first) {
        try {
            timer.schedule(() -> check(wait, first), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            wait.abandon("the coordinator was closed");
        }
    }

    /**
     * Looks at the lease of a wait: still held, check again at its expiry (or soon, while no
     * subscription can wake the wait); gone, the wait ends and the engine reads the key again.
     */
    private void check(RemoteWait wait, boolean first) {
        if (waits.get(wait.lease) != wait) {
            return;
        }
        long remaining;
        try {
            remaining = protocol.timeLeft(wait.key, wait.lease, wait.id);
        } catch (RuntimeException e) {
            wait.abandon("cannot check the lease: " + e.getMessage());
            return;
        }
        wait.looked = true;
        boolean listening = subscribed.getAsBoolean();
        if (remaining == -2 && (first || wait.goneAtFirstLook) && (wait.foundGone || !listening)) {
            wait.abandon(FINISHED_BEFORE);
        } else if (remaining == -2 && (wait.foundGone || !listening)) {
            // gone, and no subscription to tell whether an outcome was announced, or the check's own
            // message did not come back within a lease time: the engine rereads
            if (wait.abandon("its lease ended without an outcome")) {
                holdersLost.increment();
            }
        } else if (remaining == -2) {
            // gone: an outcome published before the check (also one published just before this server
            // began to wait, at the first look) arrives before the check's own message, which ends
            // the wait if none did; looked at once more in a lease time should it be lost
            wait.goneAtFirstLook = first;
            wait.foundGone = true;
            schedule(wait, leaseMillis, false);
        } else {
            long next = remaining > 0 ? remaining + 1 : leaseMillis;
            schedule(wait, subscribed.getAsBoolean() ? next : Math.min(next, UNSUBSCRIBED_CHECK_MILLIS), false);
        }
    }

    /** Stops the timer and the readers, and abandons every wait. */
    @Override
    public void close() {
        timer.shutdownNow();
        reader.shutdownNow();
        abandonAll("the coordinator was closed");
    }

    /** This process's claim on a key whose lease another server holds: it waits for that server. */
    private final class RemoteWait {
        final CacheKey key;
        final String lease;
        final Claim localClaim;
        /** Names this wait in the messages it sends itself. */
        final String id = UUID.randomUUID().toString();
        /** Whether a check found the lease gone and awaits its own message; only the timer thread sets it. */
        volatile boolean foundGone;
        /** Whether the first check found the lease gone already; only the timer thread sets it. */
        volatile boolean goneAtFirstLook;
        /** Whether a check has looked at the lease since the wait began. */
        volatile boolean looked;

        RemoteWait(CacheKey key, String lease, Claim localClaim) {
            this.key = key;
            this.lease = lease;
            this.localClaim = localClaim;
        }

        /**
         * The holder is done: read the value it wrote, once, for every waiting user. An entry written
         * before {@code writtenAtMillis} is an older one (the holder's write failed): the engine then
         * reads the key again under its own rules.
         */
        void finishFromRedis(long writtenAtMillis) {
            if (!waits.remove(lease, this)) {
                return;
            }
            readFromRedis.increment();
            Optional<CacheEntry<?>> entry;
            try {
                entry = port.get(key);
            } catch (RuntimeException e) {
                // whatever went wrong, the claim must end, or the key would be held
                localClaim.fail(new LoadAbandonedException(key, "cannot read the value: " + e.getMessage()));
                return;
            }
            if (entry.isPresent() && EntryCodec.millisOf(entry.get().writtenAt()) >= writtenAtMillis) {
                localClaim.complete(entry.get());
            } else if (entry.isPresent()) {
                localClaim.fail(new LoadAbandonedException(key, "its holder's value did not reach Redis"));
            } else {
                localClaim.fail(new LoadAbandonedException(key, "its value was gone when its lease ended"));
            }
        }

        /** The holder is done and its message carried the value: every waiting user gets it. */
        void finishWith(CacheEntry<?> entry) {
            if (waits.remove(lease, this)) {
                handedOver.increment();
                localClaim.complete(entry);
            }
        }

        /** Ends the wait with the failure; false if it had already ended. */
        boolean fail(Throwable failure) {
            if (waits.remove(lease, this)) {
                localClaim.fail(failure);
                return true;
            }
            return false;
        }

        /** Ends the wait with {@link LoadAbandonedException}; false if it had already ended. */
        boolean abandon(String reason) {
            return fail(new LoadAbandonedException(key, reason));
        }
    }

    /** The load of a key failed on the server that held its lease. */
    static final class RemoteLoadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RemoteLoadFailure(String reason, Throwable cause) {
            super("the load on another server failed: " + reason, cause, false, false);
        }
    }
}
