package io.huddle.redis;

import io.huddle.testkit.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster of masters without replicas, made of {@code redis-server} child processes on free
 * ports. Master {@code i} gets the i-th equal share of the 16384 slots, assigned with CLUSTER
 * ADDSLOTS and joined with CLUSTER MEET through Jedis (no dependency on {@code redis-cli}), so the
 * test knows which master owns each key.
 */
final class TestCluster implements AutoCloseable {
    private static final int SLOTS = 16_384;

    private final List<OwnedRedis.ChildProcess> masters = new ArrayList<>();

    private TestCluster(Path binary, int size) {
        for (int i = 0; i < size; i++) {
            int port = OwnedRedis.freePort();
            // a relative config file lands in the server's own temporary --dir
            OwnedRedis.ChildProcess master = new OwnedRedis.ChildProcess(
                    binary, port, List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + i + ".conf"));
            masters.add(master);
            master.started();
        }
    }

    /** Starts {@code size} masters and waits until every one reports the cluster ok. */
    static TestCluster start(Path binary, int size) {
        TestCluster cluster = new TestCluster(binary, size);
        cluster.form();
        System.out.println("[huddle-test] Redis Cluster: " + cluster.nodes() + " (" + size + " masters, redis-server "
                + binary + ", started for this test)");
        return cluster;
    }

    /** Every master as {@code host:port}. */
    List<String> nodes() {
        return masters.stream().map(master -> "127.0.0.1:" + master.port).toList();
    }

    /** The index of the master that owns the key's slot. */
    int masterOf(String redisKey) {
        return Math.min(JedisClusterCRC16.getSlot(redisKey) / share(), masters.size() - 1);
    }

    /** A direct connection to master {@code i}, bypassing the Cluster's routing. */
    Jedis master(int i) {
        return new Jedis("127.0.0.1", masters.get(i).port);
    }

    int size() {
        return masters.size();
    }

    @Override
    public void close() {
        masters.forEach(OwnedRedis::close);
    }

    private int share() {
        return (SLOTS + masters.size() - 1) / masters.size();
    }

    private void form() {
        for (int i = 0; i < masters.size(); i++) {
            int first = i * share();
            int last = Math.min(SLOTS, first + share());
            try (Jedis master = master(i)) {
                master.clusterAddSlots(IntStream.range(first, last).toArray());
                master.clusterMeet("127.0.0.1", masters.get(0).port);
            }
        }
        for (int i = 0; i < masters.size(); i++) {
            int index = i;
            Eventually.await(
                    "master " + i + " reports cluster_state:ok with every node known", Duration.ofSeconds(30), () -> {
                        try (Jedis master = master(index)) {
                            String info = master.clusterInfo();
                            return info.contains("cluster_state:ok")
                                    && info.contains("cluster_known_nodes:" + masters.size());
                        }
                    });
        }
    }
}
