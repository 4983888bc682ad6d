package io.huddle.redis;

import io.huddle.core.spi.CacheBackendException;
import java.util.Objects;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Turns Jedis failures into Huddle's: a {@link CacheBackendException} naming the operation and what
 * it was on, with the exception's message and its root cause's, and never the password, should
 * either echo it. Immutable.
 */
final class RedisErrors {
    /** The backend name in every exception: the port's {@code name()}. */
    static final String BACKEND = "redis";

    private final String password;

    /** @param password the password to keep out of messages, or null if there is none */
    RedisErrors(String password) {
        this.password = password;
    }

    /** The Huddle exception for a Jedis failure of {@code operation} on {@code target}. */
    CacheBackendException translate(String operation, Object target, JedisException e) {
        return new CacheBackendException(BACKEND, operation + ' ' + target + ": " + reasonOf(e), e);
    }

    /** The exception's message and its root cause's, without the password. */
    String reasonOf(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
        if (root != e) {
            reason += " ("
                    + Objects.requireNonNullElse(
                            root.getMessage(), root.getClass().getSimpleName()) + ')';
        }
        return withoutPassword(reason);
    }

    /** The text with the password masked. */
    String withoutPassword(String text) {
        return password == null ? text : text.replace(password, "****");
    }
}
