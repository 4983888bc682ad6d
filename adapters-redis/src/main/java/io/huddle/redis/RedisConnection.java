package io.huddle.redis;

import io.huddle.core.spi.CacheBackendException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
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

/**
 * The connection to Redis that everything of one {@link RedisHuddle} shares: the Jedis client (a
 * pool made here, or the application's own), what differs between a standalone Redis and a Cluster
 * ({@link RedisTopology}), the key layout ({@link RedisKeys}), which Redis answers ({@link
 * StoreIdentity}), and the subscriptions to its channels. Commands go through {@link #call}, which
 * turns a Jedis failure into a {@link CacheBackendException} ({@link RedisErrors}). Thread-safe.
 */
final class RedisConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

    private final UnifiedJedis client;
    private final boolean ownsClient;
    private final RedisTopology topology;
    private final RedisKeys keys;
    private final RedisErrors errors;
    private final StoreIdentity identity;
    /** Connections for subscriptions, outside the pool; null where they borrow from it. */
    private final Supplier<Connection> subscriptionConnections;
    /** The pool's size when made here, else unlimited as far as this knows. */
    private final int poolSize;

    private final AtomicInteger subscriptions = new AtomicInteger();
    private final String description;

    private RedisConnection(
            UnifiedJedis client,
            boolean ownsClient,
            RedisKeys keys,
            RedisErrors errors,
            Supplier<Connection> subscriptionConnections,
            int poolSize,
            String description) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.topology = RedisTopology.of(client);
        this.keys = keys;
        this.errors = errors;
        this.subscriptionConnections = subscriptionConnections;
        this.poolSize = poolSize;
        this.description = description;
        this.identity = new StoreIdentity(this::runId);
        identity.learn();
    }

    /** The connection the settings describe: the application's client, or a pool made now. */
    static RedisConnection open(RedisHuddleBuilder settings) {
        RedisErrors errors = new RedisErrors(settings.password);
        RedisKeys keys = new RedisKeys(settings.keyPrefix, io.huddle.core.spi.CacheEntry.SCHEMA_VERSION);
        String description = settings.description() + ", key prefix '" + settings.keyPrefix + "'";
        if (settings.client != null) {
            return new RedisConnection(settings.client, false, keys, errors, null, Integer.MAX_VALUE, description);
        }
        UnifiedJedis client = connect(settings, errors);
        Supplier<Connection> own = null;
        if (settings.clusterNodes == null) {
            HostAndPort address = new HostAndPort(settings.host, settings.port);
            JedisClientConfig config = clientConfig(settings);
            own = () -> new Connection(address, config);
        }
        return new RedisConnection(client, true, keys, errors, own, settings.maxPoolSize, description);
    }

    UnifiedJedis client() {
        return client;
    }

    RedisTopology topology() {
        return topology;
    }

    RedisKeys keys() {
        return keys;
    }

    RedisErrors errors() {
        return errors;
    }

    /** Whether the client is a Cluster's. */
    boolean isCluster() {
        return client instanceof RedisClusterClient;
    }

    /** Tells the listener when Redis answers again after a failure; see {@link StoreIdentity}. */
    void onReconnect(io.huddle.core.spi.CachePort.ReconnectListener listener) {
        identity.listen(Objects.requireNonNull(listener, "listener"));
    }

    /** Runs a Redis command, turning a Jedis failure into a {@link CacheBackendException}. */
    <T> T call(String operation, Object target, Supplier<T> command) {
        try {
            identity.beforeCommand();
            return command.get();
        } catch (JedisConnectionException e) {
            identity.failed();
            throw errors.translate(operation, target, e);
        } catch (JedisException e) {
            throw errors.translate(operation, target, e);
        }
    }

    /**
     * A subscription to the channel: on a connection of its own when the pool was made here for a
     * standalone Redis (so that a connection that falls silent can be closed), else on one borrowed
     * from the pool (see {@link #reserveSubscription()}).
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
     * Called before making one.
     *
     * @throws IllegalStateException if the pool is too small for another subscription
     */
    void reserveSubscription() {
        if (subscriptionConnections != null) {
            return;
        }
        if (subscriptions.incrementAndGet() >= poolSize) {
            subscriptions.decrementAndGet();
            throw new IllegalStateException("maxPoolSize " + poolSize + " is too small for another subscription:"
                    + " each load coordinator and invalidation bus holds one connection, and commands"
                    + " need at least one more");
        }
    }

    /** A subscription dropped: Redis may come back as a restarted server. */
    void subscriptionDropped() {
        identity.failed();
    }

    /**
     * A subscription is in place again: find out now, rather than at the next command, whether Redis
     * restarted, so that a near cache on a quiet server refills it too.
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
        return isCluster() ? Optional.empty() : StoreIdentity.runIdOf(client.info("server"));
    }

    /** Closes the pool if it was made here; the application's own client stays open. */
    @Override
    public void close() {
        if (!ownsClient) {
            return;
        }
        try {
            client.close();
        } catch (JedisException e) {
            throw new CacheBackendException(RedisErrors.BACKEND, "close the connection pool: " + errors.reasonOf(e), e);
        }
    }

    @Override
    public String toString() {
        return description;
    }

    private static UnifiedJedis connect(RedisHuddleBuilder settings, RedisErrors errors) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.maxPoolSize);
        pool.setMaxIdle(settings.maxPoolSize);
        pool.setMaxWait(settings.socketTimeout);
        if (settings.clusterNodes == null) {
            return RedisClient.builder()
                    .hostAndPort(settings.host, settings.port)
                    .clientConfig(clientConfig(settings))
                    .poolConfig(pool)
                    .build();
        }
        try {
            return RedisClusterClient.builder()
                    .nodes(settings.clusterNodes)
                    .clientConfig(clientConfig(settings))
                    .poolConfig(pool)
                    .build();
        } catch (JedisException e) {
            throw new CacheBackendException(
                    RedisErrors.BACKEND,
                    "connect to the Cluster at " + settings.clusterNodes + ": "
                            + errors.withoutPassword(Objects.requireNonNullElse(
                                    e.getMessage(), e.getClass().getSimpleName())),
                    e);
        }
    }

    /**
     * RESP2: under Jedis 8's default RESP3, the answer to a PING on a subscribed connection can reach
     * the reading thread before Jedis expects it, which ends the subscription ("Unexpected message:
     * PONG"); the commands read the same under either.
     */
    private static JedisClientConfig clientConfig(RedisHuddleBuilder settings) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .protocol(RedisProtocol.RESP2)
                .connectionTimeoutMillis((int) settings.connectTimeout.toMillis())
                .socketTimeoutMillis((int) settings.socketTimeout.toMillis())
                .database(settings.database)
                .ssl(settings.tls)
                .clientName("huddle");
        if (settings.user != null) {
            config.user(settings.user);
        }
        if (settings.password != null) {
            config.password(settings.password);
        }
        return config.build();
    }
}
