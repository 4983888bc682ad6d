package io.huddle.redis;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis the tests of this JVM share, found once ({@link FoundRedis}): {@code REDIS_URL} if set;
 * else 127.0.0.1:6379 if it answers PING within 300 ms; else a {@code redis-server} from the PATH
 * started on a free port; else embedded-redis's bundled binary. Prints which one to stdout. Tests use
 * a prefix of their own ({@link #newPrefix()}) and delete only that prefix: a server they did not
 * start is never flushed.
 */
final class TestRedis {
    private static URI uri;

    private TestRedis() {}

    /** The shared Redis, as a {@code redis://} URI. */
    static synchronized URI uri() {
        if (uri == null) {
            uri = discover();
        }
        return uri;
    }

    /** A key prefix no other test run uses. */
    static String newPrefix() {
        return "huddle-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A port builder on the shared Redis with the given prefix. */
    static RedisHuddleBuilder redisOn(String prefix) {
        return RedisHuddle.builder().uri(uri()).keyPrefix(prefix);
    }

    /** A raw Jedis client on the shared Redis, for writing and inspecting keys directly. */
    static UnifiedJedis rawClient() {
        return RedisClient.create(uri());
    }

    /** One SCAN call: a client's or a single node's. */
    @FunctionalInterface
    interface Scanner {
        ScanResult<String> scan(String cursor, ScanParams params);
    }

    /** Every key that starts with {@code prefix:}, scanned through {@code client}. */
    static List<String> keysUnder(Scanner client, String prefix) {
        List<String> keys = new ArrayList<>();
        ScanParams params = new ScanParams().match(prefix + ":*").count(500);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> result = client.scan(cursor, params);
            keys.addAll(result.getResult());
            cursor = result.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    /** Deletes the keys under the prefix, and the leases on them, and only those. */
    static void deletePrefix(String prefix) {
        try (UnifiedJedis client = rawClient()) {
            List<String> keys = keysUnder(client::scan, prefix);
            keys.addAll(keysUnder(client::scan, '{' + prefix)); // leases
            if (!keys.isEmpty()) {
                client.unlink(keys.toArray(String[]::new));
            }
        }
    }

    private static URI discover() {
        FoundRedis found = FoundRedis.find();
        return announce(found.uri(), found.description());
    }

    private static URI announce(URI found, String description) {
        System.out.println("[huddle-test] Redis: " + description);
        return found;
    }
}
