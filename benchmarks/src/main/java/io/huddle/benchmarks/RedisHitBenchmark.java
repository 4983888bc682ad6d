package io.huddle.benchmarks;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheKey;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.spi.CacheEntry;
import io.huddle.redis.RedisHuddle;
import io.huddle.redis.RedisPortInternals;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The cost of a fresh hit through the engine on Redis ({@link #engineHit}: GET, decode the envelope,
 * count) against a raw Jedis GET of the very same key ({@link #rawJedisGet}: the stored envelope
 * bytes, not decoded), in average nanoseconds per call.
 *
 * <p>Both go through one {@link RedisClient}, handed to the port with {@code client(...)}: the same
 * pool (16 connections, as the port's own default), the same sockets, the same server. Keys are
 * under a random prefix, deleted at the end of the trial; the server is never flushed. The Redis is
 * the one {@link BenchmarkMain} found (see {@link BenchmarkRedis}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RedisHitBenchmark {
    private BenchmarkRedis redis;
    private UnifiedJedis client;
    private HitFixture fixture;
    private SharedCache engine;
    private byte[][] redisKeys;

    @Setup(Level.Trial)
    public void setUp() {
        redis = BenchmarkRedis.fromPropertyOrFind();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(16);
        pool.setMaxIdle(16);
        client = RedisClient.builder().fromURI(redis.uri()).poolConfig(pool).build();
        String prefix = "huddle-bench-" + UUID.randomUUID().toString().substring(0, 8);
        RedisHuddle port =
                RedisHuddle.builder().client(client).keyPrefix(prefix).build();
        fixture = new HitFixture();
        engine = SharedCache.builder(port.cachePort()).build();
        fixture.warm(engine);

        // the raw side reads the bytes the port stored, under the key the port chose
        EntryCodec codec = EntryCodec.json();
        redisKeys = new byte[HitFixture.KEYS][];
        for (int i = 0; i < HitFixture.KEYS; i++) {
            CacheKey key = new CacheKey(HitFixture.KIND, fixture.ids[i]);
            redisKeys[i] = RedisPortInternals.keyOf(port, key).getBytes(StandardCharsets.US_ASCII);
            byte[] stored = client.get(redisKeys[i]);
            Object decoded = stored == null
                    ? null
                    : codec.decode(key, stored).flatMap(CacheEntry::value).orElse(null);
            if (!fixture.values[i].equals(decoded)) {
                throw new IllegalStateException("the raw GET of " + new String(redisKeys[i], StandardCharsets.US_ASCII)
                        + " did not read the entry the port wrote: "
                        + (stored == null ? "no such key" : Arrays.toString(stored)));
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            fixture.checkOnlyWarmingLoaded(engine);
        } finally {
            try {
                engine.invalidateAll(HitFixture.KIND);
                long left = engine.stats(HitFixture.KIND).entries();
                if (left != 0) {
                    System.err.println("[huddle-bench] " + left + " benchmark keys are left in Redis under "
                            + new String(redisKeys[0], StandardCharsets.US_ASCII).replaceAll(":[^:]*$", ":*"));
                }
                engine.close();
                client.close();
            } finally {
                redis.close();
            }
        }
    }

    @Benchmark
    public void engineHit(KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(engine.get(HitFixture.KIND, fixture.ids[cursor.nextIndex()], fixture.loader));
    }

    @Benchmark
    public void rawJedisGet(KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(client.get(redisKeys[cursor.nextIndex()]));
    }
}
