package io.huddle.benchmarks;

import io.huddle.redis.FoundRedis;
import java.net.URI;
import java.util.Optional;

/**
 * The Redis the Redis benchmark runs against, found as the Redis adapter's tests find theirs
 * ({@link FoundRedis}: {@code REDIS_URL}, else 127.0.0.1:6379, else a {@code redis-server} from the
 * PATH or the embedded binary, started for this run and stopped by {@link #close()}). The benchmarks
 * write under a prefix of their own and delete only that: a server they did not start is never
 * flushed.
 */
final class BenchmarkRedis implements AutoCloseable {
    /** The system property through which {@link BenchmarkMain} hands the Redis to forked JVMs. */
    static final String URI_PROPERTY = "huddle.bench.redis.uri";

    private final FoundRedis found;

    private BenchmarkRedis(FoundRedis found) {
        this.found = found;
    }

    /** The outcome of looking for a Redis: one, or why there is none. */
    record Lookup(Optional<BenchmarkRedis> redis, String whyNone) {}

    /** Looks for a Redis, starting one if need be. */
    static Lookup find() {
        try {
            return new Lookup(Optional.of(new BenchmarkRedis(FoundRedis.find())), "");
        } catch (RuntimeException e) {
            return new Lookup(Optional.empty(), "no Redis is set, answers or could be started: " + e.getMessage());
        }
    }

    /** The Redis named by {@link #URI_PROPERTY}, else one found as {@link #find()} does. */
    static BenchmarkRedis fromPropertyOrFind() {
        String handed = System.getProperty(URI_PROPERTY);
        if (handed != null && !handed.isBlank()) {
            URI uri = URI.create(handed);
            return new BenchmarkRedis(new FoundRedis(uri, uri.getHost() + ':' + uri.getPort(), Optional.empty()));
        }
        Lookup lookup = find();
        return lookup.redis()
                .orElseThrow(() -> new IllegalStateException("no Redis to benchmark: " + lookup.whyNone()));
    }

    URI uri() {
        return found.uri();
    }

    /** Where the Redis is and whether it was started for this run. */
    String description() {
        return found.description();
    }

    /** Stops the server if this run started it. */
    @Override
    public void close() {
        found.close();
    }
}
