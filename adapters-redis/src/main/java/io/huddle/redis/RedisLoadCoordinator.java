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
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClusterClient;

/**
 * Single flight across servers, with a lease per key in Redis, in the manner of memcache leases.
 *
 * <p>Within a process the callers of a key first meet in an {@link InProcessLoadCoordinator}: only
 * its leader goes to Redis, so a process makes one lease attempt per load however many of its users
 * ask. That attempt is one script: {@code SET lease token NX PX leaseTime}, or, when another server
 * holds the lease, its remaining time. The holder loads; while it loads, its lease is renewed every
 * third of the lease time (for at most {@code maxLoadTime}), so a slow load keeps its lease and a
 * dead holder's lease runs out within one lease time. When the load ends, the holder deletes its
 * lease, if it still holds it, and publishes on the coordinator's channel that the key is done (or
 * failed), in one script.
 *
 * <p>The other processes wait for that message, woken by pub/sub, not by polling; on "done" each
 * reads the value once and hands it to all its waiting users; on "failed" they get the failure (and
 * the engine serves stale if it may). A check at the lease's expiry catches a holder that died
 * (its lease ran out with no message): the waiters' outcome is then {@link
 * LoadAbandonedException}, and the engine claims the key again, so one of them takes the load over.
 * Losing the subscription (Redis went away) abandons every wait the same way.
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
 * <p>Thread-safe. Made by {@link RedisCachePort#loadCoordinator()} and closed with the port.
 */
final class RedisLoadCoordinator implements LoadCoordinator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLoadCoordinator.class);
    private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicInteger COORDINATORS = new AtomicInteger();

    /**
     * Takes the lease, returning {@value #TAKEN}; or returns the remaining time of the lease someone
     * else holds (-1 if it has none, which PTTL says of a key without expiry).
     */
    private static final String ACQUIRE = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then"
            + " return -3 end"
            + " return redis.call('PTTL', KEYS[1])";

    private static final long TAKEN = -3;

    /** Extends the lease if it still holds the token. */
    private static final String RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then"
            + " return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end"
            + " return 0";

    /**
     * Extends every lease KEYS[i] still holding its token ARGV[i + 1] by ARGV[1] ms, in one round trip;
     * returns 1 or 0 per lease. Standalone only: a Cluster refuses keys of several slots in one script.
     */
    private static final String RENEW_ALL = "local renewed = {}"
            + " for i, lease in ipairs(KEYS) do"
            + "  if redis.call('GET', lease) == ARGV[i + 1] then"
            + "   redis.call('PEXPIRE', lease, ARGV[1]) renewed[i] = 1"
            + "  else renewed[i] = 0 end"
            + " end"
            + " return renewed";

    /** Deletes the lease and announces the outcome if the lease still holds the token. */
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then"
            + " redis.call('DEL', KEYS[1])"
            + " redis.call('PUBLISH', ARGV[2], ARGV[3])"
            + " return 1 end"
            + " return 0";

    /** The messages on the channel, one per line: what happened, then the lease (or kind), then details. */
    private static final String DONE = "done";

    private static final String FAILED = "failed";
    private static final String GONE = "gone";
    private static final String KIND_GONE = "kind-gone";
    /** How often a wait looks at its lease while no subscription can wake it. */
    private static final long UNSUBSCRIBED_CHECK_MILLIS = 100;

    private final RedisCachePort port;
    private final String channel;
    private final long leaseMillis;
    private final long maxLoadNanos;
    private final InProcessLoadCoordinator local = new InProcessLoadCoordinator();
    private final ConcurrentMap<String, Held> held = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RemoteWait> waits = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    /** Renews held leases, alone on its thread so that slow checks and reads cannot delay it. */
    private final ScheduledExecutorService renewer;

    private final RedisSubscription subscription;
    private final LongAdder leasesTaken = new LongAdder();
    private final LongAdder waitsOnOtherServers = new LongAdder();
    private final LongAdder holdersLost = new LongAdder();
    private final LongAdder leasesLost = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private volatile boolean redisDown;
    private final AtomicLong redisDownUntilNanos = new AtomicLong();
    private volatile boolean closed;

    RedisLoadCoordinator(RedisCachePort port, Duration leaseTime, Duration maxLoadTime) {
        this.port = port;
        this.channel = port.leaseChannel();
        this.leaseMillis = leaseTime.toMillis();
        this.maxLoadNanos = maxLoadTime.toNanos();
        int number = COORDINATORS.incrementAndGet();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("huddle-leases-" + number));
        this.renewer = Executors.newSingleThreadScheduledExecutor(daemon("huddle-lease-renewal-" + number));
        // four renewals a lease: a holder keeps its lease through a stall of three quarters of it
        long renewEvery = Math.max(1, leaseMillis / 4);
        renewer.scheduleAtFixedRate(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        this.subscription = port.subscribe(channel, new Messages());
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

    /** The message that wakes the waiters of a lease deleted by an invalidation of its key. */
    static String goneMessage(String lease) {
        return message(GONE, lease);
    }

    /** The message that wakes the waiters of every lease of a kind invalidated as a whole. */
    static String kindGoneMessage(String kind) {
        return message(KIND_GONE, kind);
    }

    private static String message(String... fields) {
        return String.join("\n", fields);
    }

    /** Stops renewing leases and waiting for other servers' (their waiters are abandoned). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscription.close();
        timer.shutdownNow();
        renewer.shutdownNow();
        abandonAllWaits("the coordinator was closed");
        held.clear();
    }

    @Override
    public String toString() {
        return "RedisLoadCoordinator{channel=" + channel + ", leaseTime=" + leaseMillis + "ms}";
    }

    // ---- taking the lease: this process's leader of the key tries it once

    private Claim lead(CacheKey key, Claim localClaim) {
        if (closed || !mayTryRedis()) {
            fallbacks.increment();
            return localClaim;
        }
        String lease = port.keys().leaseOf(key);
        String token = UUID.randomUUID().toString();
        long remainingMillis;
        try {
            remainingMillis = script("take the lease of", key, ACQUIRE, lease, token, Long.toString(leaseMillis));
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
        if (remainingMillis == TAKEN) {
            leasesTaken.increment();
            held.put(lease, new Held(token, System.nanoTime()));
            return new LeaseClaim(key, lease, token, localClaim);
        }
        waitsOnOtherServers.increment();
        RemoteWait wait = new RemoteWait(key, lease, localClaim);
        waits.put(lease, wait);
        // the holder may have finished before the wait was registered: its message would be lost
        schedule(wait, 0, true);
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

    // ---- waiting for another server's load

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
            remaining = port.call(
                    "check the lease of", wait.key, () -> port.client().pttl(wait.lease));
        } catch (RuntimeException e) {
            wait.abandon("cannot check the lease: " + e.getMessage());
            return;
        }
        if (remaining == -2 && first) {
            wait.abandon("its holder finished before this server began to wait");
        } else if (remaining == -2) {
            // gone without a message: the holder died, or the message was missed; the engine rereads
            holdersLost.increment();
            wait.abandon("its lease ended without an outcome");
        } else {
            long next = remaining > 0 ? remaining + 1 : leaseMillis;
            schedule(wait, subscription.isSubscribed() ? next : Math.min(next, UNSUBSCRIBED_CHECK_MILLIS), false);
        }
    }

    /** Hands one message to its wait; a message that cannot be handled ends no wait wrongly, nor the reader. */
    private void onOutcome(String message) {
        try {
            handle(message);
        } catch (RuntimeException e) {
            log.warn("cannot handle a message on {}; its waits end at their lease's check: {}", channel, e.toString());
        }
    }

    private void handle(String message) {
        String[] parts = message.split("\n", 3);
        if (parts.length < 2) {
            log.debug("ignoring a message on {} that is not a lease's: {}", channel, message);
            return;
        }
        if (KIND_GONE.equals(parts[0])) {
            waits.values().stream()
                    .filter(wait -> wait.key.kind().name().equals(parts[1]))
                    .forEach(wait -> wait.abandon("its kind was invalidated"));
            return;
        }
        RemoteWait wait = waits.get(parts[1]);
        if (wait == null) {
            return;
        }
        switch (parts[0]) {
            case DONE -> {
                long writtenAt = parts.length == 3 ? parseLong(parts[2]) : Long.MIN_VALUE;
                // read off the subscription's thread, which must keep reading messages
                try {
                    timer.execute(() -> wait.finishFromRedis(writtenAt));
                } catch (RejectedExecutionException closing) {
                    wait.abandon("the coordinator was closed");
                }
            }
            case FAILED -> wait.fail(new RemoteLoadFailure(parts.length == 3 ? parts[2] : "no reason given"));
            case GONE -> wait.abandon("its key was invalidated");
            default -> log.debug("ignoring an unknown message on {}: {}", channel, message);
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private void abandonAllWaits(String reason) {
        waits.values().forEach(wait -> wait.abandon(reason));
    }

    // ---- holding the lease

    /**
     * Renews every lease this process holds: in one script on a standalone Redis, so that renewals
     * never queue behind one another, one lease at a time on a Cluster.
     */
    private void renewLeases() {
        long now = System.nanoTime();
        Map<String, Held> renewing = new LinkedHashMap<>();
        held.forEach((lease, holding) -> {
            if (now - holding.sinceNanos > maxLoadNanos) {
                held.remove(lease, holding);
                log.warn("a load has held lease {} longer than the longest load time; it is no longer renewed", lease);
            } else {
                renewing.put(lease, holding);
            }
        });
        if (renewing.isEmpty()) {
            return;
        }
        try {
            if (port.client() instanceof RedisClusterClient) {
                renewing.forEach((lease, holding) -> {
                    if (script("renew the lease", lease, RENEW, lease, holding.token, Long.toString(leaseMillis))
                            == 0) {
                        held.remove(lease, holding);
                    }
                });
                return;
            }
            List<String> leases = List.copyOf(renewing.keySet());
            List<String> args = new ArrayList<>(leases.size() + 1);
            args.add(Long.toString(leaseMillis));
            leases.forEach(lease -> args.add(renewing.get(lease).token));
            Object answer = port.call(
                    "renew", leases.size() + " leases", () -> port.client().eval(RENEW_ALL, leases, args));
            List<?> renewed = answer instanceof List<?> list ? list : List.of();
            for (int i = 0; i < leases.size(); i++) {
                if (i < renewed.size() && Long.valueOf(0).equals(renewed.get(i))) {
                    held.remove(leases.get(i), renewing.get(leases.get(i)));
                }
            }
        } catch (RuntimeException e) {
            // a failure of any kind must not stop the renewals to come
            log.debug("cannot renew {} leases: {}", renewing.size(), e.getMessage());
        }
    }

    /** Ends the lease: deletes it and announces the outcome, if it still holds the token. */
    private void release(CacheKey key, String lease, String token, String outcome) {
        held.remove(lease);
        try {
            if (script("release the lease of", key, RELEASE, lease, token, channel, outcome) == 0) {
                leasesLost.increment();
                log.debug("the lease of {} was lost before its load ended", key);
            }
        } catch (CacheBackendException e) {
            // it expires by itself; the waiters' check at its expiry finds it gone
            log.debug("cannot release the lease of {}: {}", key, e.getMessage());
        }
    }

    private long script(String operation, Object target, String script, String key, String... args) {
        Object result = port.call(operation, target, () -> port.client().eval(script, List.of(key), List.of(args)));
        return (Long) result;
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A lease this process holds, for renewal. */
    private record Held(String token, long sinceNanos) {}

    /** This process's claim on a key whose lease another server holds: it waits for that server. */
    private final class RemoteWait {
        final CacheKey key;
        final String lease;
        final Claim localClaim;

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

        void fail(Throwable failure) {
            if (waits.remove(lease, this)) {
                localClaim.fail(failure);
            }
        }

        void abandon(String reason) {
            fail(new LoadAbandonedException(key, reason));
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

        @Override
        public void complete(CacheEntry<?> entry) {
            release(key, lease, token, message(DONE, lease, Long.toString(EntryCodec.millisOf(entry.writtenAt()))));
            localClaim.complete(entry);
        }

        @Override
        public void fail(Throwable failure) {
            release(key, lease, token, message(FAILED, lease, failure.toString()));
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

    /** The load of a key failed on the server that held its lease. */
    static final class RemoteLoadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RemoteLoadFailure(String reason) {
            super("the load on another server failed: " + reason, null, false, false);
        }
    }

    private final class Messages implements RedisSubscription.Listener {
        @Override
        public void onMessage(String message) {
            onOutcome(message);
        }

        @Override
        public void onSubscribed() {
            // outcomes announced while unsubscribed are lost: look at every lease still awaited
            waits.values().forEach(wait -> schedule(wait, 0, false));
            port.subscriptionRestored();
        }

        @Override
        public void onDropped(String reason) {
            port.subscriptionDropped();
            abandonAllWaits("lost the subscription to Redis: " + reason);
        }
    }
}
