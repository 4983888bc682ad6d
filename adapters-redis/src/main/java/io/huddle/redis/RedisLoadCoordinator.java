package io.huddle.redis;

import io.huddle.core.api.CacheKey;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.memory.InProcessLoadCoordinator;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.core.spi.Fence;
import io.huddle.core.spi.LoadAbandonedException;
import io.huddle.core.spi.LoadCoordinator;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single flight across servers, with a lease per key in Redis, in the manner of memcache leases (the
 * scripts and messages are {@link LeaseProtocol}'s).
 *
 * <p>Within a process the callers of a key first meet in an {@link InProcessLoadCoordinator}: only
 * its leader goes to Redis, so a process makes one lease attempt per load however many of its users
 * ask. That attempt is one script: take the lease, or learn the remaining time of the lease another
 * server holds; taking it, the script also looks whether the key has an entry, so that the engine's
 * recheck just before it loads, on the same thread and through this entry point's port, is answered
 * without a round trip of its own ({@link HeldLeases#sawNoEntry}). The holder loads; while it
 * loads, its lease is renewed ({@link LeaseRenewals}) for at most {@code maxLoadTime}, so a slow
 * load keeps its lease and a dead holder's lease runs out within one lease time. When the load is done, the fenced write of its value (by this entry point's port)
 * also deletes the lease and publishes on the lease channel that the key is done, with the encoded
 * value, in one script ({@link LeaseProtocol#handOver}); the holder's own waiting users get the value
 * from the load itself. A load that fails, or ends without writing through the port, deletes the
 * lease, if it still holds it, and publishes that the key failed (or is done, without the value), in
 * one script.
 *
 * <p>The other processes wait for that message, woken by pub/sub, not by polling ({@link
 * RemoteWaits}); on "done" each hands the value in the message to all its waiting users, or, when
 * the message carries none it can use, reads the value once for all of them; on "failed" they get
 * the failure (and the engine serves stale if it may). A check at the lease's expiry catches a
 * holder that died (its lease ran out with no message): the waiters' outcome is then {@link
 * LoadAbandonedException}, and the engine claims the key again, so one of them takes the load over. Losing the subscription (Redis went away) abandons every wait the same way.
 *
 * <p>Each lease holds a random token, handed to the leader as its {@link Fence}: the port writes the
 * value only if the lease still holds the token (atomically, in a script), so a loader that outlived
 * its lease, or whose key was invalidated meanwhile (invalidation deletes the lease), cannot write
 * over the newer state.
 *
 * <p>When Redis cannot be reached, claims fall back at once to single flight in this process (one
 * load per server instead of one in all), counted as fallbacks; for a second after a failure Redis
 * is not tried again, so users do not each wait for a connection to fail. The call never fails for
 * it. Leases of different keys are independent keys in Redis: they load in parallel.
 *
 * <p>Thread-safe. Made by {@link RedisHuddle#loadCoordinator()} and closed with it.
 */
final class RedisLoadCoordinator implements LoadCoordinator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLoadCoordinator.class);
    private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicInteger COORDINATORS = new AtomicInteger();

    private final LeaseProtocol protocol;
    private final HeldLeases held;
    private final long leaseMillis;
    private final InProcessLoadCoordinator local = new InProcessLoadCoordinator();
    private final LeaseRenewals renewals;
    private final RemoteWaits waits;
    private final RedisSubscription subscription;

    private final LongAdder leasesTaken = new LongAdder();
    private final LongAdder waitsOnOtherServers = new LongAdder();
    private final LongAdder holdersLost = new LongAdder();
    private final LongAdder leasesLost = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private volatile boolean redisDown;
    private final AtomicLong redisDownUntilNanos = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param port where a waiting server reads the value the holder wrote, and how it reads a value
     *     handed over in a message
     * @param held the leases of this entry point's coordinators, shared with the port, whose fenced
     *     write of a held lease's value hands the lease over
     */
    RedisLoadCoordinator(
            RedisConnection redis, RedisCachePort port, HeldLeases held, Duration leaseTime, Duration maxLoadTime) {
        this.protocol = new LeaseProtocol(redis);
        this.held = held;
        this.leaseMillis = leaseTime.toMillis();
        int number = COORDINATORS.incrementAndGet();
        this.renewals = new LeaseRenewals(
                protocol, redis.isCluster(), leaseMillis, maxLoadTime.toNanos(), "huddle-lease-renewal-" + number);
        this.waits = new RemoteWaits(
                protocol, port, leaseMillis, this::isSubscribed, holdersLost, "huddle-leases-" + number);
        this.subscription = redis.subscribe(protocol.channel(), new Messages(redis));
    }

    @Override
    public Claim claim(CacheKey key) {
        Claim claim = local.claim(key);
        return claim.isLeader() ? lead(key, claim) : claim;
    }

    @Override
    public Map<CacheKey, Claim> claimAll(Collection<CacheKey> keys) {
        Map<CacheKey, Claim> claims = new LinkedHashMap<>();
        local.claimAll(keys).forEach((key, claim) -> claims.put(key, claim.isLeader() ? lead(key, claim) : claim));
        return claims;
    }

    @Override
    public CoordinatorStatistics statistics() {
        return new CoordinatorStatistics(
                leasesTaken.sum(), waitsOnOtherServers.sum(), holdersLost.sum(), leasesLost.sum(), fallbacks.sum());
    }

    /**
     * Whether the next claim goes to Redis: it answered the last attempt (or the pause after a failure
     * is over) and the subscription is in place.
     */
    boolean isUsingRedis() {
        return (!redisDown || System.nanoTime() - redisDownUntilNanos.get() >= 0) && subscription.isSubscribed();
    }

    /**
     * Whether this process waits for another server's load of the key and has looked at its lease
     * since it began (after which an outcome is taken from the lease channel only).
     */
    boolean waitHasLooked(CacheKey key) {
        return waits.hasLookedAt(protocol.leaseOf(key));
    }

    /** How many of this process's waits got their value from the holder's message, without a read. */
    long valuesHandedOver() {
        return waits.valuesHandedOver();
    }

    /** How many of this process's waits read their value from Redis after the holder's message. */
    long valuesRead() {
        return waits.valuesRead();
    }

    private boolean isSubscribed() {
        return subscription.isSubscribed();
    }

    /** Stops renewing leases and waiting for other servers' (their waiters are abandoned). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscription.close();
        waits.close();
        renewals.close();
    }

    @Override
    public String toString() {
        return "RedisLoadCoordinator{channel=" + protocol.channel() + ", leaseTime=" + leaseMillis + "ms}";
    }

    // ---- taking the lease: this process's leader of the key tries it once

    private Claim lead(CacheKey key, Claim localClaim) {
        if (closed || !mayTryRedis()) {
            fallbacks.increment();
            return localClaim;
        }
        String lease = protocol.leaseOf(key);
        String token = UUID.randomUUID().toString();
        long remainingMillis;
        try {
            remainingMillis = protocol.acquire(key, lease, token, leaseMillis);
        } catch (CacheBackendException e) {
            redisDownUntilNanos.set(System.nanoTime() + RETRY_AFTER_FAILURE_NANOS);
            redisDown = true;
            fallbacks.increment();
            log.warn(
                    "Redis is unreachable for leases; loading {} with single flight in this process only: {}",
                    key,
                    e.getMessage());
            return localClaim;
        }
        redisDown = false;
        if (remainingMillis == LeaseProtocol.TAKEN || remainingMillis == LeaseProtocol.TAKEN_OVER_ENTRY) {
            leasesTaken.increment();
            held.hold(token);
            if (remainingMillis == LeaseProtocol.TAKEN) {
                // the engine's recheck that follows on this thread needs no round trip of its own
                held.sawNoEntry(key, token);
            }
            renewals.hold(lease, token);
            return new LeaseClaim(key, lease, token, localClaim);
        }
        waitsOnOtherServers.increment();
        waits.await(key, lease, localClaim);
        return new Follower(localClaim);
    }

    /**
     * Whether to go to Redis for a lease: yes while it answers; after a failure, no for a second,
     * and then one caller at a time tries it again while the others fall back.
     */
    private boolean mayTryRedis() {
        if (!redisDown) {
            return true;
        }
        long until = redisDownUntilNanos.get();
        long now = System.nanoTime();
        return now - until >= 0 && redisDownUntilNanos.compareAndSet(until, now + RETRY_AFTER_FAILURE_NANOS);
    }

    /** Ends the lease: deletes it and announces the outcome, if it still holds the token. */
    private void release(CacheKey key, String lease, String token, String outcome) {
        renewals.stop(lease);
        try {
            if (!protocol.release(key, lease, token, outcome)) {
                leasesLost.increment();
                log.debug("the lease of {} was lost before its load ended", key);
            }
        } catch (CacheBackendException e) {
            // it expires by itself; the waiters' check at its expiry finds it gone
            log.debug("cannot release the lease of {}: {}", key, e.getMessage());
        }
    }

    /** The leader of a load, holding the lease. */
    private final class LeaseClaim implements Claim {
        private final CacheKey key;
        private final String lease;
        private final String token;
        private final Claim localClaim;

        LeaseClaim(CacheKey key, String lease, String token, Claim localClaim) {
            this.key = key;
            this.lease = lease;
            this.token = token;
            this.localClaim = localClaim;
        }

        @Override
        public boolean isLeader() {
            return true;
        }

        @Override
        public CompletableFuture<CacheEntry<?>> outcome() {
            return localClaim.outcome();
        }

        @Override
        public Optional<Fence> fence() {
            return Optional.of(new Fence(token));
        }

        /**
         * Ends the load with its entry: if the fenced write of the entry handed the lease over (it
         * released it and announced the value), this process's waiters get the entry at once;
         * otherwise the lease is released with a "done" message first, and the other servers read
         * the value from Redis.
         */
        @Override
        public void complete(CacheEntry<?> entry) {
            if (held.forget(token)) {
                renewals.stop(lease);
            } else {
                release(key, lease, token, LeaseProtocol.done(lease, EntryCodec.millisOf(entry.writtenAt())));
            }
            localClaim.complete(entry);
        }

        @Override
        public void fail(Throwable failure) {
            if (held.forget(token)) {
                // its value was handed over already: the lease is gone, and the other servers have it
                renewals.stop(lease);
            } else {
                release(key, lease, token, LeaseProtocol.failed(lease, failure));
            }
            localClaim.fail(failure);
        }
    }

    /** A follower of this process's wait for another server: it only waits. */
    private static final class Follower implements Claim {
        private final Claim localClaim;

        Follower(Claim localClaim) {
            this.localClaim = localClaim;
        }

        @Override
        public boolean isLeader() {
            return false;
        }

        @Override
        public CompletableFuture<CacheEntry<?>> outcome() {
            return localClaim.outcome();
        }

        @Override
        public void complete(CacheEntry<?> entry) {
            throw new IllegalStateException("only the leader of a load may end it");
        }

        @Override
        public void fail(Throwable failure) {
            throw new IllegalStateException("only the leader of a load may end it");
        }
    }

    /** The lease channel's subscription: messages end waits; a drop abandons them all. */
    private final class Messages implements RedisSubscription.Listener {
        private final RedisConnection redis;

        Messages(RedisConnection redis) {
            this.redis = redis;
        }

        @Override
        public void onMessage(String message) {
            waits.onMessage(message);
        }

        @Override
        public void onSubscribed() {
            // outcomes announced while unsubscribed are lost: look at every lease still awaited
            waits.checkAll();
            redis.subscriptionRestored();
        }

        @Override
        public void onDropped(String reason) {
            redis.subscriptionDropped();
            waits.abandonAll("lost the subscription to Redis: " + reason);
        }
    }
}
