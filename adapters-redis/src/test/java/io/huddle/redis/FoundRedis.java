package io.huddle.redis;

import java.net.URI;
import java.util.Optional;

/**
 * A Redis to run against, found in this order: {@code REDIS_URL} if set; else
 * 127.0.0.1:6379 if it answers PING within 300 ms; else a {@code redis-server} from the PATH started
 * on a free port; else embedded-redis's bundled binary. Shared by the Redis tests and the benchmarks
 * (through this module's test-jar). Whoever uses it writes under a prefix of its own and deletes only
 * that: a server it did not start is never flushed.
 *
 * @param uri where the Redis is
 * @param description where it is and how it was found, for logs
 * @param owned the server started for this run, if one was; {@link #close()} stops it
 */
public record FoundRedis(URI uri, String description, Optional<OwnedRedis> owned) implements AutoCloseable {

    /**
     * Finds or starts a Redis.
     *
     * @throws RuntimeException if none is set, none answers and none could be started
     */
    public static FoundRedis find() {
        String fromEnvironment = System.getenv("REDIS_URL");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            URI found = URI.create(fromEnvironment.strip());
            return new FoundRedis(found, found.getHost() + ':' + found.getPort() + " (REDIS_URL)", Optional.empty());
        }
        if (OwnedRedis.answersPing("127.0.0.1", 6379, 300)) {
            return new FoundRedis(
                    URI.create("redis://127.0.0.1:6379"), "127.0.0.1:6379 (already running)", Optional.empty());
        }
        OwnedRedis started = OwnedRedis.start();
        return new FoundRedis(
                started.uri(),
                "127.0.0.1:" + started.port + " (" + started.kind() + ", started for this run)",
                Optional.of(started));
    }

    /** Stops the server if this run started it. */
    @Override
    public void close() {
        owned.ifPresent(OwnedRedis::close);
    }
}
