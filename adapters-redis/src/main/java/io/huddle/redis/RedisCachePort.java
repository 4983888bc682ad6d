package io.huddle.redis;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.Fence;
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
import java.util.function.BiConsumer;
import redis.clients.jedis.params.SetParams;

/**
 * The tier shared across servers: a {@link CachePort} on Redis through Jedis, standalone or Cluster,
 * made by {@link RedisHuddle#cachePort()} on its connection.
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
 * (of every master, on a Cluster): ask for it at human rates, not per request.
 *
 * <p>Errors: every Jedis failure is thrown as {@link CacheBackendException} naming the operation and
 * the key ({@link RedisErrors}), never as a Jedis type. Fenced writes and invalidations go by the
 * {@link LeaseProtocol}'s scripts, so that a lease and its entry change in one step.
 *
 * <p>Thread-safe.
 */
final class RedisCachePort implements CachePort {
    /** Redis refuses a TTL that overflows its clock; anything longer is kept about forever anyway. */
    private static final long LONGEST_KEEP_FOR_MILLIS = Long.MAX_VALUE / 4;

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

    private final RedisConnection redis;
    private final RedisKeys keys;
    private final EntryCodec codec;
    private final LeaseProtocol leases;
    /** The leases of its entry point's coordinators, whose fenced writes hand them over. */
    private final HeldLeases held;
    /** What closing the port closes: its {@link RedisHuddle}, which closes the port with the rest. */
    private final Runnable onClose;

    private volatile boolean closed;

    RedisCachePort(RedisConnection redis, EntryCodec codec, Runnable onClose) {
        this(redis, codec, new HeldLeases(), onClose);
    }

    /**
     * @param held the leases this entry point's coordinators hold: a fenced write of one of them's
     *     value hands it over (see {@link #putFenced})
     */
    RedisCachePort(RedisConnection redis, EntryCodec codec, HeldLeases held, Runnable onClose) {
        this.redis = redis;
        this.keys = redis.keys();
        this.codec = codec;
        this.leases = new LeaseProtocol(redis);
        this.held = held;
        this.onClose = onClose;
    }

    @Override
    public String name() {
        return RedisErrors.BACKEND;
    }

    @Override
    public Optional<CacheEntry<?>> get(CacheKey key) {
        ensureOpen();
        if (held.knownWithoutEntry(key)) {
            // this thread just took the key's lease, which found no entry in the same step
            return Optional.empty();
        }
        byte[] bytes = redis.call("get", key, () -> redis.client().get(bytesOf(key)));
        return bytes == null ? Optional.empty() : codec.decode(key, bytes);
    }

    @Override
    public Map<CacheKey, CacheEntry<?>> getAll(Collection<CacheKey> requested) {
        ensureOpen();
        held.forgetLook();
        List<CacheKey> unique = List.copyOf(new LinkedHashSet<>(requested));
        if (unique.isEmpty()) {
            return Map.of();
        }
        byte[][] redisKeys = unique.stream().map(this::bytesOf).toArray(byte[][]::new);
        List<byte[]> values = redis.call(
                "get", unique.size() + " keys", () -> redis.topology().getAll(redisKeys));
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
        held.forgetLook();
        Objects.requireNonNull(entry, "entry");
        if (keepFor.isNegative() || keepFor.isZero()) {
            invalidate(key);
            return;
        }
        byte[] bytes = codec.encode(key, entry);
        SetParams ttl = SetParams.setParams().px(millisOf(keepFor));
        redis.call("put", key, () -> redis.client().set(bytesOf(key), bytes, ttl));
    }

    /**
     * Stores the entry, as {@link #put} does, only if the key's lease (see {@link
     * RedisHuddle#loadCoordinator()}) still holds the fence's token: one script checks and writes, so
     * nothing can come in between. When the lease is one that a coordinator of this port's {@link
     * RedisHuddle} holds, its load is done and the write is its value: the same script then also
     * deletes the lease and publishes "done" with the encoded entry ({@link LeaseProtocol#handOver}),
     * so that the servers waiting for it need no read, and the coordinator no release of its own.
     *
     * @return false if the lease is gone or another's, and nothing was stored
     */
    @Override
    public boolean putFenced(CacheKey key, CacheEntry<?> entry, Duration keepFor, Fence fence) {
        ensureOpen();
        held.forgetLook();
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(fence, "fence");
        // a zero keep-for removes the entry, fenced too; the lease stays for its holder to release
        boolean removes = keepFor.isNegative() || keepFor.isZero();
        if (removes) {
            return leases.fencedPut(key, fence, null, 0);
        }
        byte[] bytes = codec.encode(key, entry);
        if (!held.isHeld(fence.token())) {
            return leases.fencedPut(key, fence, bytes, millisOf(keepFor));
        }
        boolean stored = leases.handOver(key, fence, bytes, millisOf(keepFor), EntryCodec.millisOf(entry.writtenAt()));
        if (stored) {
            held.handedOver(fence.token());
        }
        return stored;
    }

    /** The entry in {@code bytes} as this port's codec reads it (empty, and counted, if unreadable). */
    Optional<CacheEntry<?>> decode(CacheKey key, byte[] bytes) {
        return codec.decode(key, bytes);
    }

    /**
     * Stores the entry unless Redis holds one for the key written at or after it: one script reads the
     * stored entry's {@code writtenAtMillis} and writes, so nothing can come in between. An unreadable
     * stored entry counts as older. A zero keep-for stores nothing.
     */
    @Override
    public boolean putIfNewer(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        ensureOpen();
        held.forgetLook();
        Objects.requireNonNull(entry, "entry");
        if (keepFor.isNegative() || keepFor.isZero()) {
            return false;
        }
        List<byte[]> args = List.of(
                codec.encode(key, entry),
                ascii(Long.toString(EntryCodec.millisOf(entry.writtenAt()))),
                ascii(Long.toString(millisOf(keepFor))));
        Object stored =
                redis.call("put if newer", key, () -> redis.client().eval(PUT_IF_NEWER, List.of(bytesOf(key)), args));
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
        redis.onReconnect(listener);
    }

    /**
     * Removes the key's entry and its lease, so that a load under way cannot write its value back, and
     * wakes the servers waiting on that lease (they load the key again).
     */
    @Override
    public void invalidate(CacheKey key) {
        ensureOpen();
        leases.invalidate(key);
    }

    /**
     * Removes the kind's entries and leases, SCAN step by SCAN step; entries written meanwhile may
     * survive.
     */
    @Override
    public void invalidateKind(DataKind<?> kind) {
        ensureOpen();
        leases.invalidateKind(kind);
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
        redis.call("count entries", pattern, () -> {
            redis.topology()
                    .scan(
                            pattern,
                            batch -> batch.forEach(key -> keys.kindOf(new String(key, StandardCharsets.UTF_8))
                                    .ifPresent(kind -> entries.merge(kind, 1L, Long::sum))));
            return null;
        });
        return new BackendStatistics(entries, Map.of(), codec.unreadable());
    }

    /**
     * Visits the entries of the kinds this port's codec has met in this process (see {@link
     * EntryCodec#kindsMet()}); to read kinds other servers wrote, name them with {@link
     * #forEachEntry(Collection, BiConsumer)}.
     */
    @Override
    public void forEachEntry(BiConsumer<CacheKey, CacheEntry<?>> action) {
        forEachEntry(codec.kindsMet(), action);
    }

    /**
     * Visits the entries of the given kinds: a SCAN over each kind's pattern under this port's prefix
     * and schema version (never KEYS, which would block Redis; one round trip per {@value
     * RedisTopology#SCAN_COUNT} keys, on every master of a Cluster), then one batch read of the keys of
     * each step. A key that expired between the two is skipped; bytes that do not decode, or a key
     * whose id is not escaped as this port escapes ids, are skipped and counted as unreadable. The
     * action runs on the calling thread between the steps.
     */
    @Override
    public void forEachEntry(Collection<? extends DataKind<?>> kinds, BiConsumer<CacheKey, CacheEntry<?>> action) {
        ensureOpen();
        Objects.requireNonNull(kinds, "kinds");
        Objects.requireNonNull(action, "action");
        for (DataKind<?> kind : Set.copyOf(kinds)) {
            String pattern = keys.patternOf(kind);
            redis.call("enumerate entries", pattern, () -> {
                redis.topology().scan(pattern, batch -> visit(kind, batch, action));
                return null;
            });
        }
    }

    private void visit(DataKind<?> kind, List<byte[]> batch, BiConsumer<CacheKey, CacheEntry<?>> action) {
        List<byte[]> values = redis.topology().getAll(batch.toArray(byte[][]::new));
        for (int i = 0; i < batch.size(); i++) {
            byte[] bytes = values.get(i);
            if (bytes == null) {
                continue;
            }
            String redisKey = new String(batch.get(i), StandardCharsets.UTF_8);
            Optional<CacheKey> key = keys.idOf(redisKey, kind).flatMap(id -> keyOf(kind, id));
            if (key.isEmpty()) {
                codec.countUnreadable(kind, "Redis key " + redisKey + " names no cache key");
                continue;
            }
            codec.decode(key.get(), bytes).ifPresent(entry -> action.accept(key.get(), entry));
        }
    }

    private static Optional<CacheKey> keyOf(DataKind<?> kind, String id) {
        try {
            return Optional.of(new CacheKey(kind, id));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.SHARED_ACROSS_PROCESSES, Capability.COUNTS_ENTRIES, Capability.ENUMERATES_ENTRIES);
    }

    /**
     * Closes the port's {@link RedisHuddle}, as an engine does when it closes: everything made from it
     * (coordinators, buses, budgets), then its connection pool, unless the client was the
     * application's own. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.run();
    }

    @Override
    public String toString() {
        return "RedisCachePort{" + redis + (closed ? ", closed" : "") + '}';
    }

    /** The Redis key of the cache key, for tests that write into Redis directly. */
    String keyOf(CacheKey key) {
        return keys.of(key);
    }

    /** Marks the port closed without closing anything else: its owner is closing. */
    void markClosed() {
        closed = true;
    }

    void ensureOpen() {
        if (closed) {
            throw new CacheBackendException(name(), "the port is closed");
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] bytesOf(CacheKey key) {
        return keys.of(key).getBytes(StandardCharsets.US_ASCII);
    }

    private static long millisOf(Duration keepFor) {
        try {
            return Math.min(Math.max(1, keepFor.toMillis()), LONGEST_KEEP_FOR_MILLIS);
        } catch (ArithmeticException tooLong) {
            return LONGEST_KEEP_FOR_MILLIS;
        }
    }
}
