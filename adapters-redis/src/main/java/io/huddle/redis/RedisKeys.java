package io.huddle.redis;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Redis key of each entry: {@code <prefix>:<schema>:<kind>:<escaped id>}, such as {@code
 * huddle:1:stats:4412%3A2024}.
 *
 * <p>The id is percent-encoded byte by byte (UTF-8): every byte outside {@code [A-Za-z0-9._~-]}
 * becomes {@code %XX}, so no id can hold a {@code :} that reaches into another key, a glob character
 * ({@code * ? [ ] \}) that widens a SCAN pattern, or a {@code {}} hash tag that pins a Cluster slot.
 * Kind names are already of that alphabet, and the prefix is restricted to it without {@code ~}, so
 * {@code <prefix>:<schema>:<kind>:*} matches exactly the entries of one kind.
 *
 * <p>Upstream budgets live beside the entries, outside every entry pattern: {@code
 * <prefix>:~budget:<name>} holds the Bucket4j bucket and {@code <prefix>:~budget:<name>:servers} the
 * servers that use it. Immutable.
 */
final class RedisKeys {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String prefix;
    private final String namespace;

    RedisKeys(String prefix, int schemaVersion) {
        this.prefix = checkPrefix(prefix);
        this.namespace = prefix + ':' + schemaVersion + ':';
    }

    /** The budget name, if it is 1 to 64 letters, digits, dots, dashes or underscores. */
    static String checkBudgetName(String name) {
        if (name == null || !PREFIX.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "budget name must be 1 to 64 letters, digits, '.', '_' or '-', was '" + name + "'");
        }
        return name;
    }

    /** The key of the bucket of the named upstream budget. */
    String budgetOf(String name) {
        return prefix + ":~budget:" + checkBudgetName(name);
    }

    /** The key of the sorted set of the servers using the named upstream budget, by last-seen time. */
    String budgetServersOf(String name) {
        return budgetOf(name) + ":servers";
    }

    /** The prefix, if it is 1 to 64 letters, digits, dots, dashes or underscores. */
    static String checkPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "keyPrefix must be 1 to 64 letters, digits, '.', '_' or '-', was '" + prefix + "'");
        }
        return prefix;
    }

    /** The Redis key of the cache key. */
    String of(CacheKey key) {
        return namespace + key.kind().name() + ':' + escape(key.id());
    }

    /**
     * The key of the lease on the cache key: {@code {<entry key>}:lease}. The braces make it a Cluster
     * hash tag that hashes exactly like the entry's key (which holds no braces), so that one script
     * can check the lease and write the entry on any topology.
     */
    String leaseOf(CacheKey key) {
        return '{' + of(key) + "}:lease";
    }

    /** A SCAN pattern matching every lease on an entry of the kind, and nothing else. */
    String leasePatternOf(DataKind<?> kind) {
        return '{' + patternOf(kind) + "}:lease";
    }

    /** The pub/sub channel of the given purpose under this prefix and schema version. */
    String channel(String purpose) {
        return namespace + "~" + purpose;
    }

    /** A SCAN pattern matching every entry of the kind, and nothing else. */
    String patternOf(DataKind<?> kind) {
        return namespace + kind.name() + ":*";
    }

    /** A SCAN pattern matching every entry under this prefix and schema version. */
    String patternOfAll() {
        return namespace + '*';
    }

    /** The kind name of a key under this prefix and schema version; empty for any other key. */
    Optional<String> kindOf(String redisKey) {
        int end = redisKey.indexOf(':', namespace.length());
        return redisKey.startsWith(namespace) && end > namespace.length()
                ? Optional.of(redisKey.substring(namespace.length(), end))
                : Optional.empty();
    }

    /**
     * The id of an entry key of the kind under this prefix and schema version, its escaping undone;
     * empty for any other key, or one whose escaping is not {@link #escape}'s.
     */
    Optional<String> idOf(String redisKey, DataKind<?> kind) {
        String start = namespace + kind.name() + ':';
        if (!redisKey.startsWith(start)) {
            return Optional.empty();
        }
        String escaped = redisKey.substring(start.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '%') {
                if (i + 2 >= escaped.length()) {
                    return Optional.empty();
                }
                int high = Character.digit(escaped.charAt(i + 1), 16);
                int low = Character.digit(escaped.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (isUnreserved(c)) {
                bytes.write(c);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(bytes.toString(StandardCharsets.UTF_8));
    }

    /** The id with every UTF-8 byte outside {@code [A-Za-z0-9._~-]} percent-encoded. */
    static String escape(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        StringBuilder escaped = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            char c = (char) (b & 0xFF);
            if (isUnreserved(c)) {
                escaped.append(c);
            } else {
                escaped.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return escaped.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == '~'
                || c == '-';
    }
}
