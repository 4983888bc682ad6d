package io.huddle.redis;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.Fence;
import io.huddle.core.spi.PermitRefusedException;
import io.huddle.core.spi.UpstreamBudget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lease protocol on Redis, all in one place: the scripts that take, renew and release a key's
 * lease, write an entry fenced by it (and hand the value over with the release) and remove an entry
 * with its lease, and the messages on the lease channel that tell the waiting servers how a load
 * ended.
 *
 * <p>A lease is the key {@code {<entry key>}:lease} ({@link RedisKeys#leaseOf}) holding a random
 * token, set with {@code NX} and a TTL of the lease time; the leader renews it while it loads.
 * Releasing it (if it still holds the token) deletes it and publishes the outcome in one script;
 * invalidating its key deletes it with the entry and wakes its waiters; a fenced write stores the
 * entry only while the lease holds the writer's token, in the same script. When the load is done,
 * the holder's fenced write {@linkplain #handOver hands the value over}: one script checks the token,
 * writes the entry, deletes the lease and publishes "done" with the encoded entry, so that the
 * waiting servers need no read of their own.
 *
 * <p>Messages on the channel ({@code <prefix>:<schema>:~leases}) are lines: what happened ({@code
 * done}, {@code failed}, {@code gone}, {@code kind-gone}, {@code checked}), then the lease (or the
 * kind), then the details ({@code done}: the entry's writtenAtMillis, optionally followed by a line
 * holding the encoded entry in Base64; {@code failed}: the reason; {@code checked}: which waiter
 * found the lease gone). So a {@code done} message is either
 *
 * <pre>
 * done\n&lt;lease&gt;\n&lt;writtenAtMillis&gt;
 * done\n&lt;lease&gt;\n&lt;writtenAtMillis&gt;\n&lt;Base64 of the entry as stored&gt;
 * </pre>
 *
 * The entry is carried only when it was written in the same script and its encoding is at most
 * {@value #MAX_HANDED_OVER_BYTES} bytes; a waiter that gets no entry, or one it cannot read (or one
 * older than the writtenAtMillis), reads the key from Redis instead. Immutable.
 */
final class LeaseProtocol {
    /** What {@link #acquire} returns when it took the lease and the key had no entry. */
    static final long TAKEN = -3;

    /** What {@link #acquire} returns when it took the lease and the key had an entry. */
    static final long TAKEN_OVER_ENTRY = -4;

    /**
     * Takes the lease (KEYS[1]), returning {@value #TAKEN}, or {@value #TAKEN_OVER_ENTRY} if the
     * entry (KEYS[2]) exists; or returns the remaining time of the lease someone else holds (-1 if it
     * has none, which PTTL says of a key without expiry).
     */
    private static final String ACQUIRE = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then"
            + " if redis.call('EXISTS', KEYS[2]) == 1 then return -4 end"
            + " return -3 end"
            + " return redis.call('PTTL', KEYS[1])";

    /** Extends the lease if it still holds the token. */
    private static final String RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then"
            + " return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end"
            + " return 0";

    /**
     * Extends every lease KEYS[i] still holding its token ARGV[i + 1] by ARGV[1] ms, in one round trip;
     * returns 1 or 0 per lease. Standalone only: a Cluster refuses keys of several slots in one script.
     */
    private static final String RENEW_ALL = "local renewed = {}"
            + " for i, lease in ipairs(KEYS) do"
            + "  if redis.call('GET', lease) == ARGV[i + 1] then"
            + "   redis.call('PEXPIRE', lease, ARGV[1]) renewed[i] = 1"
            + "  else renewed[i] = 0 end"
            + " end"
            + " return renewed";

    /** Deletes the lease and announces the outcome if the lease still holds the token. */
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then"
            + " redis.call('DEL', KEYS[1])"
            + " redis.call('PUBLISH', ARGV[2], ARGV[3])"
            + " return 1 end"
            + " return 0";

    /**
     * Writes the entry (KEYS[1]) ARGV[2] for ARGV[3] ms, or removes it when no entry is given, only if
     * its lease (KEYS[2]) holds the token (ARGV[1]).
     */
    private static final byte[] FENCED_PUT = ascii("if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end"
            + " if ARGV[2] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])"
            + " else redis.call('UNLINK', KEYS[1]) end"
            + " return 1");

    /**
     * Hands the value over: only if the lease (KEYS[2]) holds the token (ARGV[1]), writes the entry
     * (KEYS[1]) ARGV[2] for ARGV[3] ms, deletes the lease and publishes ARGV[5] on ARGV[4].
     */
    private static final byte[] HAND_OVER = ascii("if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end"
            + " redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])"
            + " redis.call('DEL', KEYS[2])"
            + " redis.call('PUBLISH', ARGV[4], ARGV[5])"
            + " return 1");

    /** The largest encoded entry a done message carries; a larger one is read from Redis by the waiters. */
    static final int MAX_HANDED_OVER_BYTES = 64 * 1024;

    /** Removes the entry and its lease; if there was a lease, publishes ARGV[2] on ARGV[1]. */
    private static final byte[] INVALIDATE = ascii("local leased = redis.call('EXISTS', KEYS[2])"
            + " redis.call('UNLINK', KEYS[1], KEYS[2])"
            + " if leased == 1 then redis.call('PUBLISH', ARGV[1], ARGV[2]) end"
            + " return leased");

    /**
     * The time left of the lease KEYS[1] (PTTL); if it is gone, also publishes ARGV[2] on ARGV[1] in the
     * same step, so that the checker hears its own message after any outcome published before.
     */
    private static final String CHECK = "local left = redis.call('PTTL', KEYS[1])"
            + " if left == -2 then redis.call('PUBLISH', ARGV[1], ARGV[2]) end"
            + " return left";

    static final String DONE = "done";
    static final String FAILED = "failed";
    static final String REFUSED = "refused";
    static final String GONE = "gone";
    static final String KIND_GONE = "kind-gone";
    static final String CHECKED = "checked";

    private final RedisConnection redis;
    private final String channel;

    LeaseProtocol(RedisConnection redis) {
        this.redis = redis;
        this.channel = redis.keys().channel("leases");
    }

    /** The channel on which lease holders announce outcomes and invalidations wake waiters. */
    String channel() {
        return channel;
    }

    /** The lease key of the cache key. */
    String leaseOf(CacheKey key) {
        return redis.keys().leaseOf(key);
    }

    // ---- the lease itself

    /**
     * Takes the lease for {@code leaseMillis} and looks, in the same step, whether the key has an
     * entry: {@link #TAKEN} (it has none), {@link #TAKEN_OVER_ENTRY}, or the time left of another's
     * lease.
     */
    long acquire(CacheKey key, String lease, String token, long leaseMillis) {
        List<String> keysOfScript = List.of(lease, redis.keys().of(key));
        List<String> args = List.of(token, Long.toString(leaseMillis));
        return (Long) redis.call("take the lease of", key, () -> redis.client().eval(ACQUIRE, keysOfScript, args));
    }

    /** Renews one lease if it still holds the token; false if it is gone or another's. */
    boolean renew(String lease, String token, long leaseMillis) {
        return script("renew the lease", lease, RENEW, lease, token, Long.toString(leaseMillis)) != 0;
    }

    /**
     * Renews the leases (by their tokens) in one script; standalone only. The answer lists, in order,
     * whether each was renewed; an answer it cannot read counts as renewed.
     */
    List<Boolean> renewAll(Map<String, String> tokensByLease, long leaseMillis) {
        List<String> leases = List.copyOf(tokensByLease.keySet());
        List<String> args = new ArrayList<>(leases.size() + 1);
        args.add(Long.toString(leaseMillis));
        leases.forEach(lease -> args.add(tokensByLease.get(lease)));
        Object answer = redis.call(
                "renew", leases.size() + " leases", () -> redis.client().eval(RENEW_ALL, leases, args));
        List<?> renewed = answer instanceof List<?> list ? list : List.of();
        List<Boolean> result = new ArrayList<>(leases.size());
        for (int i = 0; i < leases.size(); i++) {
            result.add(i >= renewed.size() || !Long.valueOf(0).equals(renewed.get(i)));
        }
        return result;
    }

    /** Deletes the lease and publishes the outcome, if it still holds the token; false if it did not. */
    boolean release(CacheKey key, String lease, String token, String outcome) {
        return script("release the lease of", key, RELEASE, lease, token, channel, outcome) != 0;
    }

    /**
     * The time left of the lease in ms: -2 if it is gone, -1 if it has no expiry. A lease found gone
     * is announced on the channel as {@link #checked checked} by {@code waiter}, after every outcome
     * published before (on the lease's node, on a Cluster): a waiter that hears its own message
     * without having heard an outcome knows that none was published.
     */
    long timeLeft(CacheKey key, String lease, String waiter) {
        return script("check the lease of", key, CHECK, lease, channel, message(CHECKED, lease, waiter));
    }

    // ---- the entry under the lease

    /**
     * Writes {@code entry} for {@code millis}, or removes the entry when it is null, only if the key's
     * lease holds the fence's token; false if nothing was written.
     */
    boolean fencedPut(CacheKey key, Fence fence, byte[] entry, long millis) {
        List<byte[]> keysOfScript = List.of(ascii(redis.keys().of(key)), ascii(leaseOf(key)));
        List<byte[]> args = entry == null
                ? List.of(ascii(fence.token()))
                : List.of(ascii(fence.token()), entry, ascii(Long.toString(millis)));
        Object stored = redis.call("put fenced", key, () -> redis.client().eval(FENCED_PUT, keysOfScript, args));
        return Long.valueOf(1).equals(stored);
    }

    /**
     * The holder's load is done: writes {@code entry} for {@code millis}, deletes the lease and
     * publishes "done" with the entry (when it is at most {@value #MAX_HANDED_OVER_BYTES} bytes), in
     * one script, only if the key's lease holds the fence's token; false if nothing was written (and
     * the lease, not this writer's any more, was left alone).
     */
    boolean handOver(CacheKey key, Fence fence, byte[] entry, long millis, long writtenAtMillis) {
        String lease = leaseOf(key);
        List<byte[]> keysOfScript = List.of(ascii(redis.keys().of(key)), ascii(lease));
        String message = entry.length <= MAX_HANDED_OVER_BYTES
                ? done(lease, writtenAtMillis, entry)
                : done(lease, writtenAtMillis);
        List<byte[]> args = List.of(
                ascii(fence.token()),
                entry,
                ascii(Long.toString(millis)),
                channel.getBytes(StandardCharsets.UTF_8),
                message.getBytes(StandardCharsets.UTF_8));
        Object stored = redis.call("hand over", key, () -> redis.client().eval(HAND_OVER, keysOfScript, args));
        return Long.valueOf(1).equals(stored);
    }

    /** Removes the entry and its lease, and wakes the waiters of the lease, if there was one. */
    void invalidate(CacheKey key) {
        String lease = leaseOf(key);
        List<byte[]> keysOfScript = List.of(ascii(redis.keys().of(key)), ascii(lease));
        List<byte[]> args = List.of(ascii(channel), ascii(message(GONE, lease)));
        redis.call("invalidate", key, () -> redis.client().eval(INVALIDATE, keysOfScript, args));
    }

    /**
     * Removes the kind's leases, then its entries, SCAN step by SCAN step, and wakes the waiters of
     * every lease of the kind; entries written meanwhile may survive.
     */
    void invalidateKind(DataKind<?> kind) {
        RedisKeys keys = redis.keys();
        String pattern = keys.patternOf(kind);
        redis.call("invalidate kind", pattern, () -> {
            redis.topology().scan(keys.leasePatternOf(kind), redis.topology()::unlink);
            redis.topology().scan(pattern, redis.topology()::unlink);
            return redis.client().publish(channel, message(KIND_GONE, kind.name()));
        });
    }

    // ---- messages

    /** The message that the load under the lease is done, its entry written at {@code writtenAtMillis}. */
    static String done(String lease, long writtenAtMillis) {
        return message(DONE, lease, Long.toString(writtenAtMillis));
    }

    /** The message that the load under the lease is done, carrying its encoded entry. */
    static String done(String lease, long writtenAtMillis, byte[] entry) {
        return message(
                DONE, lease, Long.toString(writtenAtMillis), Base64.getEncoder().encodeToString(entry));
    }

    /** The message a waiter sends itself when it found the lease gone; see {@link #timeLeft}. */
    static String checked(String lease, String waiter) {
        return message(CHECKED, lease, waiter);
    }

    /**
     * The message that the load under the lease failed; if the budget refused its permit, that it was
     * refused and at which priority, so that a user waiting elsewhere loads the key at its own.
     */
    static String failed(String lease, Throwable failure) {
        return PermitRefusedException.of(failure)
                .map(refused -> message(REFUSED, lease, refused.priority().name()))
                .orElseGet(() -> message(FAILED, lease, failure.toString()));
    }

    /** The refusal a {@link #REFUSED} message's detail names; a background one if it names none known. */
    static PermitRefusedException refusal(Optional<String> detail) {
        UpstreamBudget.Priority priority = detail.filter(name -> Arrays.stream(UpstreamBudget.Priority.values())
                        .anyMatch(known -> known.name().equals(name)))
                .map(UpstreamBudget.Priority::valueOf)
                .orElse(UpstreamBudget.Priority.BACKGROUND);
        return new PermitRefusedException(priority);
    }

    /**
     * A message read from the channel: what happened, the lease (or kind), and the details, if any.
     *
     * @param event {@link #DONE}, {@link #FAILED}, {@link #GONE}, {@link #KIND_GONE} or unknown
     */
    record Message(String event, String subject, Optional<String> detail) {
        /** The writtenAtMillis of a done message; {@link Long#MIN_VALUE} when absent or unreadable. */
        long writtenAtMillis() {
            try {
                return detail.map(Message::firstLine).map(Long::parseLong).orElse(Long.MIN_VALUE);
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }

        /** The encoded entry a done message carries; empty when it carries none, or none readable as Base64. */
        Optional<byte[]> entry() {
            Optional<String> encoded =
                    detail.filter(text -> text.indexOf('\n') >= 0).map(text -> text.substring(text.indexOf('\n') + 1));
            try {
                return encoded.map(Base64.getDecoder()::decode);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        private static String firstLine(String text) {
            int end = text.indexOf('\n');
            return end < 0 ? text : text.substring(0, end);
        }
    }

    /** The message in {@code text}, or empty if it is not a lease's. */
    static Optional<Message> read(String text) {
        String[] parts = text.split("\n", 3);
        if (parts.length < 2) {
            return Optional.empty();
        }
        return Optional.of(
                new Message(parts[0], parts[1], parts.length == 3 ? Optional.of(parts[2]) : Optional.empty()));
    }

    private static String message(String... fields) {
        return String.join("\n", fields);
    }

    private long script(String operation, Object target, String script, String key, String... args) {
        Object result = redis.call(operation, target, () -> redis.client().eval(script, List.of(key), List.of(args)));
        return (Long) result;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
