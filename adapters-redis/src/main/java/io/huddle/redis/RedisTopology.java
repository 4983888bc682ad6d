package io.huddle.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.SafeEncoder;

/**
 * What differs between a standalone Redis and a Cluster for the port's multi-key work: reading many
 * keys, removing many keys, and scanning the keyspace. On a Cluster, keys of one request live in
 * different hash slots, so multi-key commands become pipelines of single-key ones (one round trip
 * per node), and SCAN runs on every master, since each holds only its own slots.
 */
interface RedisTopology {
    /** Keys fetched and removed per SCAN step. */
    int SCAN_COUNT = 500;

    /** The values of the keys, in order; null where a key is absent. */
    List<byte[]> getAll(byte[][] keys);

    /** Removes the keys. */
    void unlink(List<byte[]> keys);

    /** Hands every key matching the glob pattern to {@code eachBatch}, a SCAN step at a time. */
    void scan(String pattern, Consumer<List<byte[]>> eachBatch);

    /** The topology of the client: a Cluster for a {@link RedisClusterClient}, else standalone. */
    static RedisTopology of(UnifiedJedis client) {
        return client instanceof RedisClusterClient cluster
                ? new Cluster(cluster, cluster::getClusterNodes)
                : new Standalone(client);
    }

    /** A SCAN loop over one server, from cursor 0 until the server says it is done. */
    private static void scanServer(ScanStep step, String pattern, Consumer<List<byte[]>> eachBatch) {
        ScanParams params = new ScanParams().match(pattern).count(SCAN_COUNT);
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        boolean done = false;
        while (!done) {
            ScanResult<byte[]> result = step.scan(cursor, params);
            if (!result.getResult().isEmpty()) {
                eachBatch.accept(result.getResult());
            }
            cursor = result.getCursorAsBytes();
            done = result.isCompleteIteration();
        }
    }

    /** One SCAN call on one server. */
    @FunctionalInterface
    interface ScanStep {
        ScanResult<byte[]> scan(byte[] cursor, ScanParams params);
    }

    /** One server: MGET and UNLINK take every key at once. */
    final class Standalone implements RedisTopology {
        private final UnifiedJedis client;

        Standalone(UnifiedJedis client) {
            this.client = client;
        }

        @Override
        public List<byte[]> getAll(byte[][] keys) {
            return client.mget(keys);
        }

        @Override
        public void unlink(List<byte[]> keys) {
            client.unlink(keys.toArray(byte[][]::new));
        }

        @Override
        public void scan(String pattern, Consumer<List<byte[]>> eachBatch) {
            scanServer(client::scan, pattern, eachBatch);
        }
    }

    /** A Cluster: pipelines of single-key commands, and a SCAN on each master. */
    final class Cluster implements RedisTopology {
        private final UnifiedJedis client;
        private final Supplier<Map<String, ConnectionPool>> nodes;

        Cluster(UnifiedJedis client, Supplier<Map<String, ConnectionPool>> nodes) {
            this.client = client;
            this.nodes = nodes;
        }

        @Override
        public List<byte[]> getAll(byte[][] keys) {
            try (AbstractPipeline pipeline = client.pipelined()) {
                List<Response<byte[]>> responses = new ArrayList<>(keys.length);
                for (byte[] key : keys) {
                    responses.add(pipeline.get(key));
                }
                pipeline.sync();
                return responses.stream().map(Response::get).toList();
            }
        }

        @Override
        public void unlink(List<byte[]> keys) {
            try (AbstractPipeline pipeline = client.pipelined()) {
                keys.forEach(pipeline::unlink);
                pipeline.sync();
            }
        }

        @Override
        public void scan(String pattern, Consumer<List<byte[]>> eachBatch) {
            for (ConnectionPool node : nodes.get().values()) {
                try (Connection connection = node.getResource()) {
                    Jedis server = new Jedis(connection);
                    if (isMaster(server)) {
                        scanServer(server::scan, pattern, eachBatch);
                    }
                }
            }
        }

        /** Replicas hold copies of their master's keys: scanning them too would count keys twice. */
        private static boolean isMaster(Jedis server) {
            Object role = server.role().get(0);
            return "master".equals(role instanceof byte[] bytes ? SafeEncoder.encode(bytes) : String.valueOf(role));
        }
    }
}
