package io.huddle.redis;

import io.huddle.core.api.CacheKey;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.InvalidationBus;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.UpstreamBudget;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Huddle on Redis: the one entry point that owns the connection to Redis (a pool it makes, or the
 * application's client) and makes, on it and under one key prefix, everything servers share: the
 * shared {@link #cachePort() cache port}, a {@link #loadCoordinator() lease coordinator} per engine
 * (one load per key across servers), an {@link #invalidationBus() invalidation bus} per engine (other
 * servers drop their local copies of what changed) and {@link #upstreamBudget upstream budgets} (a
 * token bucket in Redis for every server using the same API key).
 *
 * <pre>{@code
 * RedisHuddle redis = RedisHuddle.builder()
 *         .uri(URI.create("rediss://huddle:secret@redis.internal:6380/2"))
 *         .keyPrefix("chatbot")
 *         .build();
 * SharedCache cache = SharedCache.builder(
 *                 TieredCachePort.builder(CaffeineCachePort.builder().build(), redis.cachePort()).build())
 *         .coordinator(redis.loadCoordinator())
 *         .invalidationBus(redis.invalidationBus())
 *         .build();
 * SportsDataPort upstream = BalldontlieClient.builder(apiUrl, apiKey)
 *         .budget(redis.upstreamBudget("balldontlie", BudgetPlan.perMinute(60)))
 *         .build();
 * }</pre>
 *
 * <p>Errors: every Jedis failure (refused or lost connection, timeout, exhausted pool, Cluster
 * error) is thrown as {@link CacheBackendException} naming the operation and the key, never as a
 * Jedis type; the password never appears in messages, logs or {@link #toString()}. The connection
 * pool replaces broken connections by itself: when Redis comes back, everything works again without
 * being rebuilt (the first calls after an outage may still fail on connections broken by it).
 * Sentinel is not supported; pass an application-built client through {@link
 * RedisHuddleBuilder#client} for set-ups the builder does not cover.
 *
 * <p>Closing it closes everything it made, newest first, then the pool (not the application's own
 * client). Closing its cache port closes it too, so that an engine, which closes its backend when it
 * closes, leaves nothing of Redis open. Thread-safe.
 */
public final class RedisHuddle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisHuddle.class);

    private final RedisConnection redis;
    private final RedisCachePort port;
    private final Duration leaseTime;
    private final Duration maxLoadTime;
    private final Duration busHeartbeat;
    /** What was made here (coordinators, buses, budgets) and closes with it, newest first. */
    private final List<AutoCloseable> made = new CopyOnWriteArrayList<>();

    /** The leases its coordinators hold, which a fenced write of the port hands over. */
    private final HeldLeases heldLeases = new HeldLeases();

    private volatile boolean closed;

    RedisHuddle(RedisHuddleBuilder settings, EntryCodec codec, RedisConnection redis) {
        this.redis = redis;
        this.leaseTime = settings.leaseTime;
        this.maxLoadTime = settings.maxLoadTime;
        this.busHeartbeat = settings.busHeartbeat;
        this.port = new RedisCachePort(redis, codec, heldLeases, this::close);
        log.info("Huddle cache on {}", redis);
    }

    /** A builder; see its setters for the defaults. */
    public static RedisHuddleBuilder builder() {
        return new RedisHuddleBuilder();
    }

    /**
     * The cache port on Redis, the tier shared across servers: the same port at every call. Each
     * entry is one string key, {@code <prefix>:<schema>:<kind>:<percent-encoded id>}, holding the
     * entry encoded by the builder's codec, with a TTL of its keep-for; its statistics count entries
     * with a SCAN (ask for them at human rates). Closing it closes this entry point.
     */
    public CachePort cachePort() {
        return port;
    }

    /**
     * A new lease coordinator: single flight across every server that uses this Redis and key prefix.
     * A lease per key in Redis decides which server loads it, the others wait for its value (woken by
     * pub/sub), a dead holder's lease runs out after the lease time ({@link
     * RedisHuddleBuilder#leaseTime}) and another server takes over, and the value is written fenced by
     * the lease. When Redis cannot be reached it falls back to single flight in this process. Make one
     * per engine; it closes with this entry point.
     *
     * @throws CacheBackendException if this entry point is closed
     * @throws IllegalStateException if the application's pool is too small for another subscription
     */
    public LoadCoordinator loadCoordinator() {
        return redisLoadCoordinator();
    }

    /**
     * A new invalidation bus on Redis pub/sub, one channel per key prefix and schema version, so that
     * every server on the same prefix hears every other. Give it to the engine whose backend is a
     * {@code TieredCachePort} in front of {@link #cachePort()}: a change made on one server then
     * drops the other servers' local copies, and a message lost on the way makes them drop all of
     * them. Publishing never waits for Redis nor fails for it; losses are detected within one {@link
     * RedisHuddleBuilder#busHeartbeat heartbeat}, and the tiered port's {@code localTtl} bounds how
     * long a local copy can be stale whatever happens to the bus. Each bus holds one subscribed
     * connection and one sender thread: make one per engine; it closes with this entry point.
     *
     * @throws CacheBackendException if this entry point is closed
     * @throws IllegalStateException if the application's pool is too small for another subscription
     */
    public InvalidationBus invalidationBus() {
        return redisInvalidationBus();
    }

    /**
     * The upstream's budget shared by every server on this Redis and key prefix that asks for the same
     * name: one token bucket of the plan in Redis (Bucket4j), so that all of them together stay within
     * the plan of their API key. The number of servers, which sets each one's share of the plan while
     * Redis is unreachable, is learned from Redis; see {@link #upstreamBudgetBuilder} to configure it
     * instead (safer) and for the rest.
     *
     * @param name what the budget is for, such as the provider: 1 to 64 letters, digits, {@code .},
     *     {@code _} or {@code -}; never the API key (nothing secret is written to Redis)
     * @throws CacheBackendException if this entry point is closed
     */
    public UpstreamBudget upstreamBudget(String name, BudgetPlan plan) {
        return upstreamBudgetBuilder(name, plan).build();
    }

    /**
     * A builder of an {@link #upstreamBudget upstream budget} with settings of its own; see {@link
     * RedisBudgetBuilder}.
     *
     * @param name what the budget is for: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
     * @throws IllegalArgumentException if the name is not of that alphabet
     * @throws CacheBackendException if this entry point is closed
     */
    public RedisBudgetBuilder upstreamBudgetBuilder(String name, BudgetPlan plan) {
        ensureOpen();
        return new RedisBudgetBuilder(this, RedisKeys.checkBudgetName(name), Objects.requireNonNull(plan, "plan"));
    }

    /**
     * Whether Redis answers a {@code PING} now, for a health check: one round trip, never an
     * exception. False once this entry point is closed.
     */
    public boolean isReachable() {
        if (closed) {
            return false;
        }
        try {
            return redis.call("PING", "server", () -> redis.client().ping()) != null;
        } catch (RuntimeException e) { // a CacheBackendException, or a Cluster that cannot route it
            return false;
        }
    }

    /**
     * Closes everything made here (newest first) and the port, then the connection pool, unless the
     * client was the application's own. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        port.markClosed();
        for (AutoCloseable companion : made) {
            try {
                companion.close();
            } catch (Exception e) {
                log.warn("closing {} failed", companion, e);
            }
        }
        redis.close();
    }

    @Override
    public String toString() {
        return "RedisHuddle{" + redis + (closed ? ", closed" : "") + '}';
    }

    // ---- for this package's classes and tests

    RedisLoadCoordinator redisLoadCoordinator() {
        ensureOpen();
        redis.reserveSubscription();
        return closedWithThis(new RedisLoadCoordinator(redis, port, heldLeases, leaseTime, maxLoadTime));
    }

    RedisInvalidationBus redisInvalidationBus() {
        ensureOpen();
        redis.reserveSubscription();
        return closedWithThis(new RedisInvalidationBus(redis, busHeartbeat));
    }

    /** The port itself, with its package-private methods. */
    RedisCachePort port() {
        return port;
    }

    RedisConnection connection() {
        return redis;
    }

    /** The Redis key of the cache key, for tests that write into Redis directly. */
    String keyOf(CacheKey key) {
        return port.keyOf(key);
    }

    /** A subscription to the channel with PINGs this often (for tests). */
    RedisSubscription subscribe(String channel, RedisSubscription.Listener listener, Duration pingEvery) {
        return redis.subscribe(channel, listener, pingEvery);
    }

    /** Registers something made here, to be closed (before the pool) when this closes. */
    <T extends AutoCloseable> T closedWithThis(T companion) {
        ensureOpen();
        made.add(0, companion);
        return companion;
    }

    void ensureOpen() {
        if (closed) {
            throw new CacheBackendException(RedisErrors.BACKEND, "the port is closed");
        }
    }
}
