package io.huddle.redis;

import io.huddle.core.codec.EntryCodec;
import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.CacheBackendException;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds a {@link RedisHuddle}: where Redis is and how to connect to it, the key prefix, and the
 * settings of the leases and the invalidation bus. Endpoint setters ({@link #standalone}, {@link
 * #uri}, {@link #cluster}) replace each other: the last one called wins. Not thread-safe.
 */
public final class RedisHuddleBuilder {
    private static final int DEFAULT_PORT = 6379;

    String host = "127.0.0.1";
    int port = DEFAULT_PORT;
    Set<HostAndPort> clusterNodes;
    int database;
    String user;
    String password;
    boolean tls;
    Duration connectTimeout = Duration.ofSeconds(2);
    Duration socketTimeout = Duration.ofSeconds(2);
    int maxPoolSize = 16;
    String keyPrefix = "huddle";
    EntryCodec codec;
    UnifiedJedis client;
    Duration leaseTime = Duration.ofSeconds(3);
    Duration maxLoadTime = Duration.ofMinutes(2);
    Duration busHeartbeat = RedisInvalidationBus.DEFAULT_HEARTBEAT;
    /** The connection settings made, which an application's own client excludes. */
    private final Set<String> connectionSettings = new LinkedHashSet<>();

    RedisHuddleBuilder() {}

    /** A standalone Redis at host and port; default {@code 127.0.0.1:6379}. */
    public RedisHuddleBuilder standalone(String host, int port) {
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
    public RedisHuddleBuilder uri(URI uri) {
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
    public RedisHuddleBuilder cluster(Collection<String> nodes) {
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
    public RedisHuddleBuilder database(int database) {
        this.database = Arguments.notNegative("database", database);
        return connection("database");
    }

    /** The ACL user; default none (the {@code default} user). */
    public RedisHuddleBuilder user(String user) {
        this.user = nonBlank("user", user);
        return connection("user");
    }

    /** The password; default none. Never logged nor shown. */
    public RedisHuddleBuilder password(String password) {
        Objects.requireNonNull(password, "password");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("password must not be empty");
        }
        this.password = password;
        return connection("password");
    }

    /** Whether to connect over TLS, with the JVM's default trust store; default false. */
    public RedisHuddleBuilder tls(boolean tls) {
        this.tls = tls;
        return connection("tls");
    }

    /** How long to wait for a connection to open; default 2 s. */
    public RedisHuddleBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = millisField("connectTimeout", timeout);
        return connection("connectTimeout");
    }

    /**
     * How long to wait for a reply, and for a free pooled connection; default 2 s. A slow Redis then
     * fails the call, which the engine treats as a miss.
     */
    public RedisHuddleBuilder socketTimeout(Duration timeout) {
        this.socketTimeout = millisField("socketTimeout", timeout);
        return connection("socketTimeout");
    }

    /** The most connections open at once (per node, on a Cluster); default 16. */
    public RedisHuddleBuilder maxPoolSize(int maxPoolSize) {
        this.maxPoolSize = Arguments.positive("maxPoolSize", maxPoolSize);
        return connection("maxPoolSize");
    }

    /**
     * The first segment of every key, so that applications (or test runs) sharing a Redis keep apart:
     * 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}; default {@code huddle}.
     */
    public RedisHuddleBuilder keyPrefix(String keyPrefix) {
        this.keyPrefix = RedisKeys.checkPrefix(keyPrefix);
        return this;
    }

    /**
     * The codec of the port's entries; default {@link EntryCodec#json()}. Give each {@link RedisHuddle}
     * its own, so that its port's unreadable counts are its own.
     */
    public RedisHuddleBuilder codec(EntryCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /**
     * The application's own client (a {@link RedisClient}, or a {@link RedisClusterClient} for a
     * Cluster), instead of one the entry point makes; it is not closed with the entry point. Excludes
     * every connection setting.
     */
    public RedisHuddleBuilder client(UnifiedJedis client) {
        this.client = Objects.requireNonNull(client, "client");
        return this;
    }

    /**
     * How long a lease of the {@link RedisHuddle#loadCoordinator() load coordinator} lasts unless
     * renewed (its holder renews it every quarter of it while it loads): how long the other servers
     * wait for a holder that died before one of them takes over. Default 3 seconds.
     */
    public RedisHuddleBuilder leaseTime(Duration leaseTime) {
        this.leaseTime = Arguments.positive("leaseTime", leaseTime);
        if (leaseTime.toMillis() < 3) {
            throw new IllegalArgumentException("leaseTime must be at least 3 ms, was " + leaseTime);
        }
        return this;
    }

    /**
     * The longest a load keeps its lease renewed; past it the lease runs out and another server may
     * load the key. Set it above the longest load timeout of the kinds. Default 2 minutes.
     */
    public RedisHuddleBuilder maxLoadTime(Duration maxLoadTime) {
        this.maxLoadTime = Arguments.positive("maxLoadTime", maxLoadTime);
        return this;
    }

    /**
     * How often each {@link RedisHuddle#invalidationBus() invalidation bus} says it is alive and how
     * many messages it has sent, so that a receiver notices a lost message within about this long;
     * default 1 s.
     */
    public RedisHuddleBuilder busHeartbeat(Duration heartbeat) {
        this.busHeartbeat = millisField("busHeartbeat", heartbeat);
        return this;
    }

    /**
     * The entry point, with its connection: a pool it makes (and closes), or the application's
     * client. On a Cluster it connects to learn the topology; on a standalone Redis nothing fails for
     * a Redis that is down.
     *
     * @throws IllegalStateException if the settings contradict each other
     * @throws CacheBackendException if no Cluster node answers
     */
    public RedisHuddle build() {
        if (client != null && !connectionSettings.isEmpty()) {
            throw new IllegalStateException(
                    "client(...) excludes the connection settings, but these were set: " + connectionSettings);
        }
        if (clusterNodes != null && database != 0) {
            throw new IllegalStateException("a Cluster has only database 0, but database was " + database);
        }
        return new RedisHuddle(this, codec == null ? EntryCodec.json() : codec, RedisConnection.open(this));
    }

    /** Where the settings point, without the password, for logs. */
    String description() {
        if (client != null) {
            return "the application's " + (client instanceof RedisClusterClient ? "Cluster client" : "client");
        }
        String where =
                clusterNodes == null ? "standalone " + host + ':' + port + '/' + database : "cluster " + clusterNodes;
        return where + (tls ? " over TLS" : "") + (user != null ? " as " + user : "");
    }

    private RedisHuddleBuilder connection(String setting) {
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

    /** A positive duration of 1 ms to 24 days, as Jedis's int milliseconds take it. */
    static Duration millisField(String field, Duration value) {
        Arguments.positive(field, value);
        if (value.toMillis() < 1 || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " must be 1 ms to 24 days, was " + value);
        }
        return value;
    }
}
