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
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

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

        /**
         * Scans every master that serves slots, as the Cluster itself lists them; a master that cannot
         * be reached fails the scan, while an unreachable replica or failed node does not matter.
         */
        @Override
        public void scan(String pattern, Consumer<List<byte[]>> eachBatch) {
            Map<String, ConnectionPool> pools = nodes.get();
            for (String master : masters(pools)) {
                ConnectionPool pool = pools.get(master);
                if (pool == null) {
                    throw new JedisException("no connection pool for the master at " + master);
                }
                try (Connection connection = pool.getResource()) {
                    scanServer(new Jedis(connection)::scan, pattern, eachBatch);
                }
            }
        }

        /** The {@code host:port} of each master serving slots, from CLUSTER NODES on any node that answers. */
        private static List<String> masters(Map<String, ConnectionPool> pools) {
            JedisException unreachable = new JedisException("no node of the Cluster answered");
            for (ConnectionPool pool : pools.values()) {
                try (Connection connection = pool.getResource()) {
                    List<String> masters = new ArrayList<>();
                    for (String line : new Jedis(connection).clusterNodes().split("\n")) {
                        // <id> <host:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot>...
                        String[] fields = line.strip().split(" ");
                        List<String> flags = fields.length > 2 ? List.of(fields[2].split(",")) : List.of();
                        if (fields.length > 8 && flags.contains("master") && !flags.contains("fail")) {
                            String address = fields[1];
                            masters.add(address.contains("@") ? address.substring(0, address.indexOf('@')) : address);
                        }
                    }
                    return masters;
                } catch (JedisException e) {
                    unreachable.addSuppressed(e);
                }
            }
            throw unreachable;
        }
    }
}
