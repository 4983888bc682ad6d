package io.huddle.redis;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.Fence;
import io.huddle.core.spi.InvalidationBus;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.UpstreamBudget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The tier shared across servers: a {@link CachePort} on Redis through Jedis, standalone or Cluster.
 *
 * <pre>{@code
 * CachePort shared = RedisCachePort.builder()
 *         .uri(URI.create("rediss://huddle:secret@redis.internal:6380/2"))
 *         .keyPrefix("chatbot")
 *         .build();
 * }</pre>
 *
 * <p>Each entry is one string key, {@code <prefix>:<schema>:<kind>:<id>} with the id
 * percent-encoded (every byte outside {@code [A-Za-z0-9._~-]}), holding the entry encoded by the
 * port's {@link EntryCodec}, with a TTL of its keep-for set on write: Redis expires it by its own
 * clock. Bytes that do not decode, or an entry of another schema version, read as absent and are
 * counted as unreadable. On a Cluster, keys spread over every slot: reading many keys pipelines them
 * (one round trip per node) and invalidating a kind or counting entries scans every master.
 *
 * <p>What it does not do: it keeps nothing on disk itself (whether Redis does is Redis's
 * configuration, so {@link Capability#SURVIVES_RESTART} is not claimed); it cannot see expiries or
 * evictions, so it reports none; and {@link #statistics()} counts entries with a SCAN over the
 * prefix, which costs one round trip per {@value RedisTopology#SCAN_COUNT} keys of the database
 * (of every master, on a Cluster): ask for it at human rates, not per request. Sentinel is not
 * supported; pass an application-built client through {@link Builder#client(UnifiedJedis)} for
 * set-ups the builder does not cover.
 *
 * <p>Errors: every Jedis failure (refused or lost connection, timeout, exhausted pool, Cluster
 * error) is thrown as {@link CacheBackendException} naming the operation and the key, never as a
 * Jedis type; the password never appears in messages, logs or {@link #toString()}. The connection
 * pool replaces broken connections by itself: when Redis comes back, the port works again without
 * being rebuilt (the first calls after an outage may still fail on connections broken by it).
 *
 * <p>The port is also the Redis entry point for the rest of what servers share: it makes their
 * {@link #loadCoordinator() lease coordinator}, their {@link #invalidationBus() invalidation bus}
 * and their {@link #upstreamBudget upstream budget} (a token bucket in Redis, through Bucket4j), all
 * on its own connection pool and key prefix, and closes them when it closes.
 *
 * <p>Thread-safe.
 */
public final class RedisCachePort implements CachePort {
    private static final Logger log = LoggerFactory.getLogger(RedisCachePort.class);

    /** Redis refuses a TTL that overflows its clock; anything longer is kept about forever anyway. */
    private static final long LONGEST_KEEP_FOR_MILLIS = Long.MAX_VALUE / 4;
    /**
     * Writes the entry (KEYS[1]) for ARGV[3] ms, or removes it when no entry is given, only if its
     * lease (KEYS[2]) holds the token (ARGV[1]).
     */
    /** Removes the entry and its lease; if there was a lease, publishes ARGV[2] on ARGV[1]. */
    private static final byte[] INVALIDATE = ascii("local leased = redis.call('EXISTS', KEYS[2])"
            + " redis.call('UNLINK', KEYS[1], KEYS[2])"
            + " if leased == 1 then redis.call('PUBLISH', ARGV[1], ARGV[2]) end"
            + " return leased");

    /**
     * Writes ARGV[1] to KEYS[1] for ARGV[3] ms unless KEYS[1] holds an entry whose writtenAtMillis is
     * at least ARGV[2]; an unreadable entry counts as older.
     */
    private static final byte[] PUT_IF_NEWER = ascii("local current = redis.call('GET', KEYS[1])"
            + " if current then"
            + "  local ok, entry = pcall(cjson.decode, current)"
            + "  if ok and type(entry) == 'table' and type(entry['writtenAtMillis']) == 'number'"
            + "   and entry['writtenAtMillis'] >= tonumber(ARGV[2]) then return 0 end"
            + " end"
            + " redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])"
            + " return 1");

    private static final byte[] FENCED_PUT = ascii("if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end"
            + " if ARGV[2] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])"
            + " else redis.call('UNLINK', KEYS[1]) end"
            + " return 1");

    private final UnifiedJedis client;
    private final boolean ownsClient;
    private final RedisTopology topology;
    private final RedisKeys keys;
    private final EntryCodec codec;
    private final String description;
    private final String password;
    private final Duration leaseTime;
    /** The pool's size when the port made it, else unlimited as far as the port knows. */
    private final int poolSize;

    private final AtomicInteger subscriptions = new AtomicInteger();
    private final Duration maxLoadTime;
    private final Duration busHeartbeat;
    /** What was made from this port (coordinator, bus) and closes with it, newest first. */
    private final List<AutoCloseable> companions = new CopyOnWriteArrayList<>();

    private final StoreIdentity identity;
    /** Connections for subscriptions, outside the pool; null where they borrow from it. */
    private final Supplier<Connection> subscriptionConnections;

    private volatile boolean closed;

    private RedisCachePort(Builder builder, UnifiedJedis client, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.topology = RedisTopology.of(client);
        this.keys = new RedisKeys(builder.keyPrefix, CacheEntry.SCHEMA_VERSION);
        this.codec = builder.codec;
        this.description = builder.description() + ", key prefix '" + builder.keyPrefix + "'";
        this.password = builder.password;
        this.leaseTime = builder.leaseTime;
        this.poolSize = ownsClient ? builder.maxPoolSize : Integer.MAX_VALUE;
        this.maxLoadTime = builder.maxLoadTime;
        this.busHeartbeat = builder.busHeartbeat;
        this.subscriptionConnections = builder.subscriptionConnections(ownsClient);
        this.identity = new StoreIdentity(this::runId);
        identity.learn();
    }

    /** A builder; see its setters for the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Optional<CacheEntry<?>> get(CacheKey key) {
        ensureOpen();
        byte[] bytes = call("get", key, () -> client.get(bytesOf(key)));
        return bytes == null ? Optional.empty() : codec.decode(key, bytes);
    }

    @Override
    public Map<CacheKey, CacheEntry<?>> getAll(Collection<CacheKey> requested) {
        ensureOpen();
        List<CacheKey> unique = List.copyOf(new LinkedHashSet<>(requested));
        if (unique.isEmpty()) {
            return Map.of();
        }
        byte[][] redisKeys = unique.stream().map(this::bytesOf).toArray(byte[][]::new);
        List<byte[]> values = call("get", unique.size() + " keys", () -> topology.getAll(redisKeys));
        Map<CacheKey, CacheEntry<?>> found = new LinkedHashMap<>();
        for (int i = 0; i < unique.size(); i++) {
            CacheKey key = unique.get(i);
            if (values.get(i) != null) {
                codec.decode(key, values.get(i)).ifPresent(entry -> found.put(key, entry));
            }
        }
        return found;
    }

    /**
     * Stores the entry with a TTL of {@code keepFor}, rounded down to milliseconds but at least 1 ms;
     * a zero or negative keep-for removes the key.
     *
     * @throws CacheBackendException if Redis fails, or the value cannot be written as JSON
     */
    @Override
    public void put(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        ensureOpen();
        Objects.requireNonNull(entry, "entry");
        if (keepFor.isNegative() || keepFor.isZero()) {
            invalidate(key);
            return;
        }
        byte[] bytes = codec.encode(key, entry);
        SetParams ttl = SetParams.setParams().px(millisOf(keepFor));
        call("put", key, () -> client.set(bytesOf(key), bytes, ttl));
    }

    /**
     * Stores the entry, as {@link #put} does, only if the key's lease (see {@link #loadCoordinator()})
     * still holds the fence's token: one script checks and writes, so nothing can come in between.
     *
     * @return false if the lease is gone or another's, and nothing was stored
     */
    @Override
    public boolean putFenced(CacheKey key, CacheEntry<?> entry, Duration keepFor, Fence fence) {
        ensureOpen();
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(fence, "fence");
        List<byte[]> keysOfScript = List.of(bytesOf(key), ascii(keys.leaseOf(key)));
        // a zero keep-for removes the entry, fenced too; the lease stays for its holder to release
        List<byte[]> args = keepFor.isNegative() || keepFor.isZero()
                ? List.of(ascii(fence.token()))
                : List.of(ascii(fence.token()), codec.encode(key, entry), ascii(Long.toString(millisOf(keepFor))));
        Object stored = call("put fenced", key, () -> client.eval(FENCED_PUT, keysOfScript, args));
        return Long.valueOf(1).equals(stored);
    }

    /**
     * Stores the entry unless Redis holds one for the key written at or after it: one script reads the
     * stored entry's {@code writtenAtMillis} and writes, so nothing can come in between. An unreadable
     * stored entry counts as older. A zero keep-for stores nothing.
     */
    @Override
    public boolean putIfNewer(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        ensureOpen();
        Objects.requireNonNull(entry, "entry");
        if (keepFor.isNegative() || keepFor.isZero()) {
            return false;
        }
        List<byte[]> args = List.of(
                codec.encode(key, entry),
                ascii(Long.toString(EntryCodec.millisOf(entry.writtenAt()))),
                ascii(Long.toString(millisOf(keepFor))));
        Object stored = call("put if newer", key, () -> client.eval(PUT_IF_NEWER, List.of(bytesOf(key)), args));
        return Long.valueOf(1).equals(stored);
    }

    /**
     * Tells the listener when the port reaches Redis again after failing to, and whether Redis
     * restarted meanwhile (its run id changed; on a Cluster, which has one per node, it is never
     * told so), before any command answers from Redis again. A Redis that keeps nothing on disk has
     * then lost every entry: a near cache writes back what it holds.
     */
    @Override
    public void onReconnect(ReconnectListener listener) {
        identity.listen(Objects.requireNonNull(listener, "listener"));
    }

    /** A subscription made from this port dropped: Redis may come back as a restarted server. */
    void subscriptionDropped() {
        identity.failed();
    }

    /**
     * A subscription made from this port is in place again: find out now, rather than at the next
     * command, whether Redis restarted, so that a near cache on a quiet server refills it too.
     */
    void subscriptionRestored() {
        try {
            identity.beforeCommand();
        } catch (JedisException e) {
            identity.failed();
            log.debug("cannot ask Redis for its run id yet: {}", e.getMessage());
        }
    }

    private Optional<String> runId() {
        return client instanceof RedisClusterClient ? Optional.empty() : StoreIdentity.runIdOf(client.info("server"));
    }

    /**
     * Removes the key's entry and its lease, so that a load under way cannot write its value back, and
     * wakes the servers waiting on that lease (they load the key again).
     */
    @Override
    public void invalidate(CacheKey key) {
        ensureOpen();
        String lease = keys.leaseOf(key);
        List<byte[]> keysOfScript = List.of(bytesOf(key), ascii(lease));
        List<byte[]> args = List.of(ascii(leaseChannel()), ascii(RedisLoadCoordinator.goneMessage(lease)));
        call("invalidate", key, () -> client.eval(INVALIDATE, keysOfScript, args));
    }

    /**
     * Removes the kind's entries and leases, SCAN step by SCAN step; entries written meanwhile may
     * survive.
     */
    @Override
    public void invalidateKind(DataKind<?> kind) {
        ensureOpen();
        String pattern = keys.patternOf(kind);
        call("invalidate kind", pattern, () -> {
            topology.scan(keys.leasePatternOf(kind), topology::unlink);
            topology.scan(pattern, topology::unlink);
            return client.publish(leaseChannel(), RedisLoadCoordinator.kindGoneMessage(kind.name()));
        });
    }

    /**
     * Single flight across every server that uses this Redis and key prefix: a lease per key in Redis
     * decides which server loads it, the others wait for its value (woken by pub/sub), a dead holder's
     * lease runs out after the lease time ({@link Builder#leaseTime}) and another server takes over,
     * and the value is written fenced by the lease. When Redis cannot be reached it falls back to
     * single flight in this process. Each call makes a new coordinator (one per engine), closed with
     * this port.
     *
     * <pre>{@code
     * RedisCachePort shared = RedisCachePort.builder().uri(redisUri).build();
     * SharedCache cache = SharedCache.builder(shared)
     *         .coordinator(shared.loadCoordinator())
     *         .build();
     * }</pre>
     */
    public LoadCoordinator loadCoordinator() {
        ensureOpen();
        reserveSubscription();
        return closedWithPort(new RedisLoadCoordinator(this, leaseTime, maxLoadTime));
    }

    /** The channel on which lease holders announce outcomes and invalidations wake waiters. */
    String leaseChannel() {
        return keys.channel("leases");
    }

    /**
     * A subscription to the channel: on a connection of its own when the port connected to a
     * standalone Redis itself (so that a connection that falls silent can be closed), else on one
     * borrowed from the pool.
     */
    RedisSubscription subscribe(String channel, RedisSubscription.Listener listener) {
        return new RedisSubscription(client, subscriptionConnections, channel, listener);
    }

    /** As {@link #subscribe(String, RedisSubscription.Listener)}, with PINGs this often (for tests). */
    RedisSubscription subscribe(String channel, RedisSubscription.Listener listener, Duration pingEvery) {
        return new RedisSubscription(client, subscriptionConnections, channel, listener, pingEvery);
    }

    /**
     * Each coordinator and bus whose subscription borrows from the pool holds one pooled connection;
     * at least one must stay for commands, or every command would wait for a connection and fail.
     */
    private void reserveSubscription() {
        if (subscriptionConnections != null) {
            return;
        }
        if (subscriptions.incrementAndGet() >= poolSize) {
            subscriptions.decrementAndGet();
            throw new IllegalStateException("maxPoolSize " + poolSize + " is too small for another subscription:"
                    + " each load coordinator and invalidation bus of a port holds one connection, and commands"
                    + " need at least one more");
        }
    }

    /**
     * Entries per kind, counted by a SCAN over the prefix (see the class comment for its cost); no
     * evictions, which Redis does not report per key; unreadable entries as counted by the codec in
     * this process.
     */
    @Override
    public BackendStatistics statistics() {
        ensureOpen();
        String pattern = keys.patternOfAll();
        Map<String, Long> entries = new HashMap<>();
        call("count entries", pattern, () -> {
            topology.scan(
                    pattern,
                    batch -> batch.forEach(key -> keys.kindOf(new String(key, StandardCharsets.UTF_8))
                            .ifPresent(kind -> entries.merge(kind, 1L, Long::sum))));
            return null;
        });
        return new BackendStatistics(entries, Map.of(), codec.unreadable());
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.SHARED_ACROSS_PROCESSES, Capability.COUNTS_ENTRIES);
    }

    /**
     * Closes what was made from this port (its load coordinator and invalidation bus), then the
     * connection pool, unless the client was the application's own. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable companion : companions) {
            try {
                companion.close();
            } catch (Exception e) {
                log.warn("closing {} failed", companion, e);
            }
        }
        if (ownsClient) {
            try {
                client.close();
            } catch (JedisException e) {
                throw new CacheBackendException(name(), "close the connection pool: " + reasonOf(e), e);
            }
        }
    }

    @Override
    public String toString() {
        return "RedisCachePort{" + description + (closed ? ", closed" : "") + '}';
    }

    /**
     * A new invalidation bus on this Redis: Redis pub/sub on one channel per key prefix and schema
     * version, so that every server on the same prefix hears every other. Give it to the engine whose
     * backend is a {@code TieredCachePort} in front of this port: a change made on one server then
     * drops the other servers' local copies, and a message lost on the way makes them drop all of
     * them. Publishing never waits for Redis nor fails for it; losses are detected within one
     * {@link Builder#busHeartbeat heartbeat}, and the tiered port's {@code localTtl} bounds how long
     * a local copy can be stale whatever happens to the bus.
     *
     * <pre>{@code
     * RedisCachePort shared = RedisCachePort.builder().keyPrefix("chatbot").build();
     * SharedCache cache = SharedCache.builder(
     *                 TieredCachePort.builder(CaffeineCachePort.builder().build(), shared).build())
     *         .invalidationBus(shared.invalidationBus())
     *         .build();
     * }</pre>
     *
     * <p>Each call makes a bus of its own (one subscribed connection and one sender thread): make one
     * per engine. It closes with this port.
     *
     * @throws CacheBackendException if the port is closed
     */
    public InvalidationBus invalidationBus() {
        ensureOpen();
        reserveSubscription();
        return closedWithPort(new RedisInvalidationBus(this, keys.channel("invalidations"), busHeartbeat));
    }

    /**
     * The upstream's budget shared by every server on this Redis and key prefix that asks for the same
     * name: one token bucket of the plan in Redis (Bucket4j), so that all of them together stay within
     * the plan of their API key. Give it to the API client of each server. The number of servers,
     * which sets each one's share of the plan while Redis is unreachable, is learned from Redis; see
     * {@link #upstreamBudgetBuilder} to configure it instead (safer) and for the rest.
     *
     * <pre>{@code
     * RedisCachePort shared = RedisCachePort.builder().uri(redisUri).keyPrefix("chatbot").build();
     * SportsDataPort upstream = BalldontlieClient.builder(apiUrl, apiKey)
     *         .budget(shared.upstreamBudget("balldontlie", BudgetPlan.perMinute(60)))
     *         .build();
     * }</pre>
     *
     * @param name what the budget is for, such as the provider: 1 to 64 letters, digits, {@code .},
     *     {@code _} or {@code -}; never the API key (nothing secret is written to Redis)
     * @throws CacheBackendException if the port is closed
     */
    public UpstreamBudget upstreamBudget(String name, BudgetPlan plan) {
        return upstreamBudgetBuilder(name, plan).build();
    }

    /**
     * A builder of an {@link #upstreamBudget upstream budget} with settings of its own.
     *
     * <p>The budget is one Redis key, {@code <prefix>:~budget:<name>}, holding Bucket4j's state of the
     * plan's bucket ({@link BudgetPlan#bucket()}), with a TTL of the time it takes to fill up again
     * plus one period, so an idle budget leaves nothing behind. The servers' clocks must agree (NTP):
     * whichever server takes a token computes the refill by its own clock. Users wait for a token at
     * most as long as they may; background work never waits and never takes the plan's reserve.
     *
     * <p>When Redis cannot be reached, each server takes its permits from its share of the plan
     * ({@link BudgetPlan#share}) in its own memory instead, starting empty, so that the fleet stays
     * within the plan across the switch; these are counted as {@linkplain
     * io.huddle.core.spi.BudgetStatistics#fallbackPermits() fallback permits}. Redis is tried again
     * a second after a failure, by one caller at a time; when it answers, the server charges the
     * shared bucket with what it took from its share within the last period and uses it again. The
     * switch is logged once, never a stack trace per request.
     *
     * <p>Each budget closes with this port; closing it stops its heartbeat.
     *
     * @param name what the budget is for: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
     * @throws IllegalArgumentException if the name is not of that alphabet
     */
    public UpstreamBudgetBuilder upstreamBudgetBuilder(String name, BudgetPlan plan) {
        ensureOpen();
        return new UpstreamBudgetBuilder(this, RedisKeys.checkBudgetName(name), Objects.requireNonNull(plan, "plan"));
    }

    /**
     * Builds an upstream budget of a {@link RedisCachePort}; see {@link
     * RedisCachePort#upstreamBudgetBuilder}. Not thread-safe.
     */
    public static final class UpstreamBudgetBuilder {
        private final RedisCachePort port;
        private final String name;
        private final BudgetPlan plan;
        private int servers;
        private Duration heartbeat = Duration.ofSeconds(5);
        private TimeMeter time = TimeMeter.SYSTEM_MILLISECONDS;
        private BlockingStrategy waiting = BlockingStrategy.PARKING;

        private UpstreamBudgetBuilder(RedisCachePort port, String name, BudgetPlan plan) {
            this.port = port;
            this.name = name;
            this.plan = plan;
        }

        /**
         * How many servers share the plan: while Redis is unreachable each takes {@code
         * plan.share(servers)}. Give the most that may run at once; fewer running then leave part of
         * the plan unused during an outage, more would exceed it. Default: learned from Redis, where
         * every budget of this name registers itself each {@link #heartbeat} and is forgotten after
         * three missed ones; the count last seen is kept through an outage, and a budget that has never
         * reached Redis counts itself alone (taking the whole plan), which is why a configured count is
         * safer.
         */
        public UpstreamBudgetBuilder servers(int servers) {
            this.servers = Arguments.positive("servers", servers);
            return this;
        }

        /**
         * How often a budget that learns the number of servers registers itself in Redis; a server not
         * seen for three of them is no longer counted. Default 5 s.
         */
        public UpstreamBudgetBuilder heartbeat(Duration heartbeat) {
            this.heartbeat = Builder.millisField("heartbeat", heartbeat);
            return this;
        }

        /**
         * The clock of the buckets (wall-clock based, as Bucket4j requires of a bucket in Redis) and how
         * a waiting user waits: for tests, a manual clock that a wait moves forward.
         */
        UpstreamBudgetBuilder time(TimeMeter time, BlockingStrategy waiting) {
            this.time = Objects.requireNonNull(time, "time");
            this.waiting = Objects.requireNonNull(waiting, "waiting");
            return this;
        }

        /**
         * The budget, closed with the port. Nothing connects here: a Redis that is down makes a budget
         * that starts on this server's share.
         *
         * @throws CacheBackendException if the port is closed
         */
        public UpstreamBudget build() {
            return buildRedisBudget();
        }

        RedisUpstreamBudget buildRedisBudget() {
            port.ensureOpen();
            return port.closedWithPort(new RedisUpstreamBudget(port, name, plan, servers, heartbeat, time, waiting));
        }
    }

    /** The Redis key of the cache key, for tests that write into Redis directly. */
    String keyOf(CacheKey key) {
        return keys.of(key);
    }

    /** Registers something made from this port, to be closed (before the pool) when the port closes. */
    <T extends AutoCloseable> T closedWithPort(T companion) {
        ensureOpen();
        companions.add(0, companion);
        return companion;
    }

    UnifiedJedis client() {
        return client;
    }

    RedisKeys keys() {
        return keys;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] bytesOf(CacheKey key) {
        return keys.of(key).getBytes(StandardCharsets.US_ASCII);
    }

    void ensureOpen() {
        if (closed) {
            throw new CacheBackendException(name(), "the port is closed");
        }
    }

    /** Runs a Redis command, turning a Jedis failure into a {@link CacheBackendException}. */
    <T> T call(String operation, Object target, Supplier<T> command) {
        try {
            identity.beforeCommand();
            return command.get();
        } catch (JedisConnectionException e) {
            identity.failed();
            throw new CacheBackendException(name(), operation + ' ' + target + ": " + reasonOf(e), e);
        } catch (JedisException e) {
            throw new CacheBackendException(name(), operation + ' ' + target + ": " + reasonOf(e), e);
        }
    }

    /** The exception's message and its root cause's, without the password should either echo it. */
    String reasonOf(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
        if (root != e) {
            reason += " ("
                    + Objects.requireNonNullElse(
                            root.getMessage(), root.getClass().getSimpleName()) + ')';
        }
        return password == null ? reason : reason.replace(password, "****");
    }

    private static long millisOf(Duration keepFor) {
        try {
            return Math.min(Math.max(1, keepFor.toMillis()), LONGEST_KEEP_FOR_MILLIS);
        } catch (ArithmeticException tooLong) {
            return LONGEST_KEEP_FOR_MILLIS;
        }
    }

    /**
     * Builds a {@link RedisCachePort}. Endpoint setters ({@link #standalone}, {@link #uri}, {@link
     * #cluster}) replace each other: the last one called wins. Not thread-safe.
     */
    public static final class Builder {
        private static final int DEFAULT_PORT = 6379;

        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private Set<HostAndPort> clusterNodes;
        private int database;
        private String user;
        private String password;
        private boolean tls;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(2);
        private int maxPoolSize = 16;
        private String keyPrefix = "huddle";
        private EntryCodec codec;
        private UnifiedJedis client;
        private Duration leaseTime = Duration.ofSeconds(3);
        private Duration maxLoadTime = Duration.ofMinutes(2);
        private Duration busHeartbeat = RedisInvalidationBus.DEFAULT_HEARTBEAT;
        /** The connection settings made, which an application's own client excludes. */
        private final Set<String> connectionSettings = new LinkedHashSet<>();

        private Builder() {}

        /** A standalone Redis at host and port; default {@code 127.0.0.1:6379}. */
        public Builder standalone(String host, int port) {
            this.host = hostOf(host);
            this.port = portOf(port);
            this.clusterNodes = null;
            return connection("standalone");
        }

        /**
         * A standalone Redis from a URI: {@code redis://[[user]:password@]host[:port][/database]}, or
         * {@code rediss://...} for TLS. Sets the host, port, database, TLS and, when given, user and
         * password; later setters override them.
         */
        public Builder uri(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme();
            if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
                throw new IllegalArgumentException("uri must use the redis or rediss scheme, was '" + scheme + "'");
            }
            standalone(uri.getHost(), uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort());
            tls(scheme.equals("rediss"));
            String path = uri.getPath();
            if (path != null && path.length() > 1) {
                try {
                    database(Integer.parseInt(path.substring(1)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("uri path must be /<database number>, was '" + path + "'");
                }
            }
            String userInfo = uri.getUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("uri user info must be user:password or :password");
                }
                if (colon > 0) {
                    user(userInfo.substring(0, colon));
                }
                password(userInfo.substring(colon + 1));
            }
            return connection("uri");
        }

        /** A Redis Cluster, reached through any of its nodes, each {@code host:port}. */
        public Builder cluster(Collection<String> nodes) {
            Objects.requireNonNull(nodes, "nodes");
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("cluster nodes must not be empty");
            }
            Set<HostAndPort> parsed = new LinkedHashSet<>();
            for (String node : nodes) {
                int colon = node == null ? -1 : node.lastIndexOf(':');
                if (colon < 1) {
                    throw new IllegalArgumentException("cluster node must be host:port, was '" + node + "'");
                }
                try {
                    parsed.add(new HostAndPort(
                            hostOf(node.substring(0, colon)), portOf(Integer.parseInt(node.substring(colon + 1)))));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("cluster node must be host:port, was '" + node + "'");
                }
            }
            this.clusterNodes = parsed;
            return connection("cluster");
        }

        /** The database number of a standalone Redis; default 0 (a Cluster has only 0). */
        public Builder database(int database) {
            this.database = Arguments.notNegative("database", database);
            return connection("database");
        }

        /** The ACL user; default none (the {@code default} user). */
        public Builder user(String user) {
            this.user = nonBlank("user", user);
            return connection("user");
        }

        /** The password; default none. Never logged nor shown. */
        public Builder password(String password) {
            Objects.requireNonNull(password, "password");
            if (password.isEmpty()) {
                throw new IllegalArgumentException("password must not be empty");
            }
            this.password = password;
            return connection("password");
        }

        /** Whether to connect over TLS, with the JVM's default trust store; default false. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return connection("tls");
        }

        /** How long to wait for a connection to open; default 2 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = millisField("connectTimeout", timeout);
            return connection("connectTimeout");
        }

        /**
         * How long to wait for a reply, and for a free pooled connection; default 2 s. A slow Redis
         * then fails the call, which the engine treats as a miss.
         */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = millisField("socketTimeout", timeout);
            return connection("socketTimeout");
        }

        /** The most connections open at once (per node, on a Cluster); default 16. */
        public Builder maxPoolSize(int maxPoolSize) {
            this.maxPoolSize = Arguments.positive("maxPoolSize", maxPoolSize);
            return connection("maxPoolSize");
        }

        /**
         * The first segment of every key, so that applications (or test runs) sharing a Redis keep
         * apart: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}; default {@code huddle}.
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = RedisKeys.checkPrefix(keyPrefix);
            return this;
        }

        /**
         * The codec of entries; default {@link EntryCodec#json()}. Give each port its own, so that
         * its unreadable counts are its own.
         */
        public Builder codec(EntryCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * The application's own client (a {@link RedisClient}, or a {@link RedisClusterClient} for a
         * Cluster), instead of one the port makes; the port does not close it. Excludes every
         * connection setting.
         */
        public Builder client(UnifiedJedis client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * How long a lease of the {@link RedisCachePort#loadCoordinator() load coordinator} lasts
         * unless renewed (its holder renews it every third of it while it loads): how long the other
         * servers wait for a holder that died before one of them takes over. Default 3 seconds.
         */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = Arguments.positive("leaseTime", leaseTime);
            if (leaseTime.toMillis() < 3) {
                throw new IllegalArgumentException("leaseTime must be at least 3 ms, was " + leaseTime);
            }
            return this;
        }

        /**
         * The longest a load keeps its lease renewed; past it the lease runs out and another server
         * may load the key. Set it above the longest load timeout of the kinds. Default 2 minutes.
         */
        public Builder maxLoadTime(Duration maxLoadTime) {
            this.maxLoadTime = Arguments.positive("maxLoadTime", maxLoadTime);
            return this;
        }

        /**
         * How often each {@link RedisCachePort#invalidationBus() invalidation bus} says it is alive and
         * how many messages it has sent, so that a receiver notices a lost message within about this
         * long; default 1 s.
         */
        public Builder busHeartbeat(Duration heartbeat) {
            this.busHeartbeat = millisField("busHeartbeat", heartbeat);
            return this;
        }

        /**
         * The port. On a Cluster it connects to learn the topology.
         *
         * @throws IllegalStateException if the settings contradict each other
         * @throws CacheBackendException if no Cluster node answers
         */
        public RedisCachePort build() {
            if (client != null && !connectionSettings.isEmpty()) {
                throw new IllegalStateException(
                        "client(...) excludes the connection settings, but these were set: " + connectionSettings);
            }
            if (clusterNodes != null && database != 0) {
                throw new IllegalStateException("a Cluster has only database 0, but database was " + database);
            }
            if (codec == null) {
                codec = EntryCodec.json();
            }
            RedisCachePort port = client != null
                    ? new RedisCachePort(this, client, false)
                    : new RedisCachePort(this, connect(), true);
            log.info("Huddle cache on {}", port.description);
            return port;
        }

        /** Connections of their own for subscriptions to a standalone Redis the port connects to. */
        private Supplier<Connection> subscriptionConnections(boolean ownsClient) {
            if (!ownsClient || clusterNodes != null) {
                return null;
            }
            HostAndPort address = new HostAndPort(host, port);
            JedisClientConfig config = clientConfig();
            return () -> new Connection(address, config);
        }

        private UnifiedJedis connect() {
            ConnectionPoolConfig pool = new ConnectionPoolConfig();
            pool.setMaxTotal(maxPoolSize);
            pool.setMaxIdle(maxPoolSize);
            pool.setMaxWait(socketTimeout);
            if (clusterNodes == null) {
                return RedisClient.builder()
                        .hostAndPort(host, port)
                        .clientConfig(clientConfig())
                        .poolConfig(pool)
                        .build();
            }
            try {
                return RedisClusterClient.builder()
                        .nodes(clusterNodes)
                        .clientConfig(clientConfig())
                        .poolConfig(pool)
                        .build();
            } catch (JedisException e) {
                throw new CacheBackendException(
                        "redis",
                        "connect to the Cluster at " + clusterNodes + ": "
                                + withoutPassword(Objects.requireNonNullElse(
                                        e.getMessage(), e.getClass().getSimpleName())),
                        e);
            }
        }

        private String withoutPassword(String message) {
            return password == null ? message : message.replace(password, "****");
        }

        /**
         * RESP2: under Jedis 8's default RESP3, the answer to a PING on a subscribed connection can
         * reach the reading thread before Jedis expects it, which ends the subscription ("Unexpected
         * message: PONG"); the port's commands read the same under either.
         */
        private JedisClientConfig clientConfig() {
            DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                    .protocol(RedisProtocol.RESP2)
                    .connectionTimeoutMillis((int) connectTimeout.toMillis())
                    .socketTimeoutMillis((int) socketTimeout.toMillis())
                    .database(database)
                    .ssl(tls)
                    .clientName("huddle");
            if (user != null) {
                config.user(user);
            }
            if (password != null) {
                config.password(password);
            }
            return config.build();
        }

        private String description() {
            if (client != null) {
                return "the application's " + (client instanceof RedisClusterClient ? "Cluster client" : "client");
            }
            String where = clusterNodes == null
                    ? "standalone " + host + ':' + port + '/' + database
                    : "cluster " + clusterNodes;
            return where + (tls ? " over TLS" : "") + (user != null ? " as " + user : "");
        }

        private Builder connection(String setting) {
            connectionSettings.add(setting);
            return this;
        }

        private static String hostOf(String host) {
            return nonBlank("host", host);
        }

        private static int portOf(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
            }
            return port;
        }

        private static String nonBlank(String field, String value) {
            Objects.requireNonNull(value, field);
            if (value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }

        private static Duration millisField(String field, Duration value) {
            Arguments.positive(field, value);
            if (value.toMillis() < 1 || value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(field + " must be 1 ms to 24 days, was " + value);
            }
            return value;
        }
    }
}
