package io.huddle.redis;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.huddle.bucket4j.BucketPermits;
import io.huddle.core.internal.Arguments;
import io.huddle.core.internal.DaemonThreads;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.UpstreamBudget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The budget every server using the same Redis, key prefix and budget name shares: one Bucket4j
 * bucket of the plan ({@link BudgetPlan#bucket()}) in Redis, through Bucket4j's compare-and-swap
 * proxy on the port's own Jedis client.
 *
 * <p>The bucket is one key, {@code <prefix>:~budget:<name>}: Bucket4j's state, no secret. Its TTL is
 * the time the bucket needs to fill up again plus one period, so an idle budget leaves nothing
 * behind, and one made again is full, as the expired one would have been. The time in the bucket is
 * the clock of whichever server changes it, so the servers' clocks must agree (NTP) to well within
 * one token's share of the period. Every server must give the same plan: the bucket keeps the plan
 * it was created with until it expires.
 *
 * <p><b>Redis unreachable.</b> A permit that Redis fails to give (refused or lost connection,
 * timeout, an error reply) comes from a bucket in this process instead: this server's share of the
 * plan, {@link BudgetPlan#share(int) share(servers)}, which starts empty, so that the permits given
 * just before the switch and after it together stay within the plan; counted as fallback permits.
 * For a second after a failure Redis is not tried again, then one caller at a time tries it while
 * the others keep to the share. When Redis answers, the budget goes back to the shared bucket and
 * first charges it with the permits this server took from its share within the last period, so
 * that the fleet stays within the plan across that switch too (also when Redis came back empty and
 * the bucket was made anew, full). The switch to the share is logged as a warning (at most once a
 * minute), never with a stack trace per request; the way back as information.
 *
 * <p><b>How many servers.</b> A count given to the builder is used as it is. Otherwise each budget
 * registers itself in {@code <prefix>:~budget:<name>:servers}, a sorted set of instance ids scored
 * by Redis's time, every heartbeat (default 5 s) from a daemon thread, and forgets the servers not
 * seen for three heartbeats; it remembers the count it last saw, and uses that when Redis goes away.
 * A budget that never reached Redis counts 1 (the whole plan for itself), so a configured count is
 * safer for a fleet that may start while Redis is down.
 *
 * <p>Thread-safe. Made by {@link RedisHuddle#upstreamBudget} and closed with it; closing
 * it stops its heartbeat and removes it from the servers. A closed budget refuses every request.
 */
final class RedisUpstreamBudget implements UpstreamBudget {
    private static final Logger log = LoggerFactory.getLogger(RedisUpstreamBudget.class);
    private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long WARN_AT_MOST_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int HEARTBEATS_BEFORE_FORGOTTEN = 3;
    private static final AtomicInteger BUDGETS = new AtomicInteger();

    /**
     * Registers the server ARGV[1] at Redis's time, forgets those not seen for ARGV[2] ms, keeps the
     * set for ARGV[3] ms; returns how many servers remain.
     */
    private static final String REGISTER = "local now = redis.call('TIME')"
            + " local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)"
            + " redis.call('ZADD', KEYS[1], millis, ARGV[1])"
            + " redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', millis - tonumber(ARGV[2]))"
            + " redis.call('PEXPIRE', KEYS[1], ARGV[3])"
            + " return redis.call('ZCARD', KEYS[1])";

    private final RedisConnection redis;
    private final String name;
    private final BudgetPlan plan;
    private final int configuredServers;
    private final TimeMeter time;
    private final BlockingStrategy waiting;
    private final BucketProxy shared;
    private final String serversKey;
    private final String instance = UUID.randomUUID().toString();
    private final long heartbeatMillis;
    private final ScheduledExecutorService heartbeat;

    private final LongAdder userPermits = new LongAdder();
    private final LongAdder backgroundPermits = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder fallbackPermits = new LongAdder();

    /** This server's share while Redis is unreachable; null while the shared bucket is used. */
    private volatile Share fallback;

    private final AtomicLong retryAtNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong warnedAtNanos = new AtomicLong(System.nanoTime() - WARN_AT_MOST_EVERY_NANOS);
    /** When each permit of the current share was taken, by {@link #time}, for the charge on return. */
    private final Deque<Long> sharePermitTimes = new ConcurrentLinkedDeque<>();
    /** The server count last seen in Redis; 0 before any. */
    private volatile int learnedServers;

    private volatile boolean closed;

    /**
     * @param servers the configured number of servers, or 0 to learn it
     */
    RedisUpstreamBudget(
            RedisConnection redis,
            String name,
            BudgetPlan plan,
            int servers,
            Duration heartbeatEvery,
            TimeMeter time,
            BlockingStrategy waiting) {
        this.redis = redis;
        this.name = name;
        this.plan = plan;
        this.configuredServers = servers;
        this.time = time;
        this.waiting = waiting;
        this.serversKey = redis.keys().budgetServersOf(name);
        this.heartbeatMillis = heartbeatEvery.toMillis();
        BudgetPlan.Bucket bucket = plan.bucket();
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit ->
                        limit.capacity(bucket.capacity()).refillGreedy(bucket.refillTokens(), bucket.refillPeriod()))
                .build();
        this.shared = Bucket4jJedis.casBasedBuilder(redis.client())
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(plan.period()))
                .clientClock(time)
                .build()
                .builder()
                .build(redis.keys().budgetOf(name).getBytes(StandardCharsets.US_ASCII), () -> configuration);
        if (servers > 0) {
            this.heartbeat = null;
        } else {
            this.heartbeat = Executors.newSingleThreadScheduledExecutor(
                    DaemonThreads.named("huddle-budget-" + name + "-" + BUDGETS.incrementAndGet()));
            heartbeat.scheduleWithFixedDelay(this::register, 0, heartbeatMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean tryAcquire(Priority priority, Duration maxWait) {
        Objects.requireNonNull(priority, "priority");
        Arguments.notNegative("maxWait", maxWait);
        if (closed) {
            refused.increment();
            return false;
        }
        Share share = fallback;
        if (share == null || mayRetryRedis()) {
            try {
                if (share != null) {
                    chargeWithShare();
                }
                boolean granted = BucketPermits.take(shared, priority, maxWait, plan.reserve(), waiting);
                if (share != null) {
                    backOnShared(share);
                }
                return counted(priority, granted, false);
            } catch (JedisException e) {
                share = fallBack(e);
            }
        }
        boolean granted = BucketPermits.take(
                share.bucket(), priority, maxWait, share.shape().reserve(), waiting);
        if (granted) {
            long now = time.currentTimeNanos();
            sharePermitTimes.addLast(now);
            Long oldest;
            while ((oldest = sharePermitTimes.peekFirst()) != null
                    && now - oldest > plan.period().toNanos()) {
                sharePermitTimes.remove(oldest);
            }
        }
        return counted(priority, granted, true);
    }

    private boolean counted(Priority priority, boolean granted, boolean fromShare) {
        if (!granted) {
            refused.increment();
            return false;
        }
        (priority == Priority.BACKGROUND ? backgroundPermits : userPermits).increment();
        if (fromShare) {
            fallbackPermits.increment();
        }
        return true;
    }

    /** After a failure, Redis is tried again a second later, by one caller at a time. */
    private boolean mayRetryRedis() {
        long at = retryAtNanos.get();
        long now = System.nanoTime();
        return now - at >= 0 && retryAtNanos.compareAndSet(at, now + RETRY_AFTER_FAILURE_NANOS);
    }

    private synchronized Share fallBack(JedisException failure) {
        retryAtNanos.set(System.nanoTime() + RETRY_AFTER_FAILURE_NANOS);
        Share share = fallback;
        if (share != null) {
            log.debug(
                    "upstream budget '{}': Redis is still unreachable: {}",
                    name,
                    redis.errors().reasonOf(failure));
            return share;
        }
        int servers = servers();
        BudgetPlan.Bucket shape = plan.share(servers);
        share = new Share(
                Bucket.builder()
                        .addLimit(limit -> limit.capacity(shape.capacity())
                                .refillGreedy(shape.refillTokens(), shape.refillPeriod())
                                .initialTokens(0))
                        .withCustomTimePrecision(time)
                        .build(),
                shape);
        sharePermitTimes.clear();
        fallback = share;
        long now = System.nanoTime();
        long warned = warnedAtNanos.get();
        String message = "upstream budget '{}': Redis is unreachable ({}); until it answers again, taking permits"
                + " from this server's share of the plan (servers: {}; starting empty, at most {} tokens, {} more"
                + " every {})";
        Object[] details = {
            name,
            redis.errors().reasonOf(failure),
            servers,
            shape.capacity(),
            shape.refillTokens(),
            shape.refillPeriod()
        };
        if (now - warned >= WARN_AT_MOST_EVERY_NANOS && warnedAtNanos.compareAndSet(warned, now)) {
            log.warn(message, details);
        } else {
            log.info(message, details);
        }
        return share;
    }

    /**
     * Before going back to the shared bucket: charges it with the permits taken from the share within
     * the last period, which it has not seen (once: they are forgotten when charged).
     */
    private void chargeWithShare() {
        long since = time.currentTimeNanos() - plan.period().toNanos();
        long charge = sharePermitTimes.stream().filter(at -> at - since > 0).count();
        if (charge > 0) {
            shared.consumeIgnoringRateLimits(charge);
            log.info(
                    "upstream budget '{}': Redis answers again; the shared bucket is charged with the {} permits"
                            + " taken from this server's share in the last {}",
                    name,
                    charge,
                    plan.period());
        }
        sharePermitTimes.clear();
    }

    /** Redis gave a permit again: the share is left behind. */
    private synchronized void backOnShared(Share share) {
        if (fallback == share) {
            fallback = null;
            log.info("upstream budget '{}': Redis answers again; back on the shared bucket", name);
        }
    }

    /** The servers sharing the plan, as configured or last seen; 1 if neither. */
    int servers() {
        return configuredServers > 0 ? configuredServers : Math.max(1, learnedServers);
    }

    /** Whether the next request goes to the shared bucket (no failure, or the pause after one is over). */
    boolean isUsingRedis() {
        return fallback == null;
    }

    /** Stops registering this server, as a server that died would (tests). */
    void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
    }

    private void register() {
        try {
            Object count = redis.client()
                    .eval(
                            REGISTER,
                            List.of(serversKey),
                            List.of(
                                    instance,
                                    Long.toString(heartbeatMillis * HEARTBEATS_BEFORE_FORGOTTEN),
                                    Long.toString(heartbeatMillis * HEARTBEATS_BEFORE_FORGOTTEN * 2)));
            learnedServers = Math.toIntExact((Long) count);
        } catch (JedisException e) {
            log.debug(
                    "upstream budget '{}': cannot register this server: {}",
                    name,
                    redis.errors().reasonOf(e));
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again
            log.warn("upstream budget '{}': registering this server failed", name, e);
        }
    }

    @Override
    public BudgetPlan plan() {
        return plan;
    }

    @Override
    public BudgetStatistics statistics() {
        return new BudgetStatistics(userPermits.sum(), backgroundPermits.sum(), refused.sum(), fallbackPermits.sum());
    }

    /** Stops the heartbeat and removes this server from the servers of the budget; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            try {
                redis.client().zrem(serversKey, instance);
            } catch (JedisException e) {
                log.debug(
                        "upstream budget '{}': cannot deregister this server: {}",
                        name,
                        redis.errors().reasonOf(e));
            }
        }
    }

    @Override
    public String toString() {
        return "RedisUpstreamBudget{" + name + ", " + plan
                + (configuredServers > 0 ? ", " + configuredServers + " servers" : ", servers learned")
                + (closed ? ", closed" : "") + '}';
    }

    /** This server's share of the plan, in memory, and its shape. */
    private record Share(Bucket bucket, BudgetPlan.Bucket shape) {}
}
