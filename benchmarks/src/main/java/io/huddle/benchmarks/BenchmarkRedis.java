package io.huddle.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Redis the Redis benchmark runs against, found as the Redis adapter's tests find theirs:
 * {@code REDIS_URL} if set; else 127.0.0.1:6379 if it answers PING; else a {@code redis-server} from
 * the PATH, started on a free port of 127.0.0.1 with nothing kept on disk ({@code --save ""
 * --appendonly no}) and stopped by {@link #close()}. The benchmarks write under a prefix of their own
 * and delete only that: a server they did not start is never flushed.
 */
final class BenchmarkRedis implements AutoCloseable {
    /** The system property through which {@link BenchmarkMain} hands the Redis to forked JVMs. */
    static final String URI_PROPERTY = "huddle.bench.redis.uri";

    private final URI uri;
    private final String description;
    private final Process process;
    private final Path directory;

    private BenchmarkRedis(URI uri, String description, Process process, Path directory) {
        this.uri = uri;
        this.description = description;
        this.process = process;
        this.directory = directory;
    }

    /** The outcome of looking for a Redis: one, or why there is none. */
    record Lookup(Optional<BenchmarkRedis> redis, String whyNone) {}

    /** Looks for a Redis as the class comment says, starting one if need be. */
    static Lookup find() {
        String fromEnvironment = System.getenv("REDIS_URL");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            URI uri = URI.create(fromEnvironment.trim());
            return found(new BenchmarkRedis(uri, uri.getHost() + ':' + uri.getPort() + " (REDIS_URL)", null, null));
        }
        if (answersPing(6379, 300)) {
            return found(new BenchmarkRedis(
                    URI.create("redis://127.0.0.1:6379"), "127.0.0.1:6379 (already running)", null, null));
        }
        Optional<Path> binary = redisServerOnPath();
        if (binary.isEmpty()) {
            return new Lookup(
                    Optional.empty(),
                    "REDIS_URL is not set, nothing answers PING on 127.0.0.1:6379,"
                            + " and there is no redis-server on the PATH");
        }
        try {
            return found(start(binary.get()));
        } catch (RuntimeException e) {
            return new Lookup(Optional.empty(), "starting " + binary.get() + " failed: " + e.getMessage());
        }
    }

    /** The Redis named by {@link #URI_PROPERTY}, else one found as {@link #find()} does. */
    static BenchmarkRedis fromPropertyOrFind() {
        String handed = System.getProperty(URI_PROPERTY);
        if (handed != null && !handed.isBlank()) {
            URI uri = URI.create(handed);
            return new BenchmarkRedis(uri, uri.getHost() + ':' + uri.getPort(), null, null);
        }
        Lookup lookup = find();
        return lookup.redis()
                .orElseThrow(() -> new IllegalStateException("no Redis to benchmark: " + lookup.whyNone()));
    }

    URI uri() {
        return uri;
    }

    /** Where the Redis is and whether it was started for this run. */
    String description() {
        return description;
    }

    /** Whether this run started the server (and {@link #close()} stops it). */
    boolean owned() {
        return process != null;
    }

    /** Stops the server if this run started it, and deletes its directory. */
    @Override
    public synchronized void close() {
        if (process == null || !process.isAlive() && !Files.exists(directory)) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a left-over log in the temporary directory is not worth failing the run for
        }
    }

    private static Lookup found(BenchmarkRedis redis) {
        return new Lookup(Optional.of(redis), "");
    }

    private static BenchmarkRedis start(Path binary) {
        int port = freePort();
        Path directory;
        Process process;
        try {
            directory = Files.createTempDirectory("huddle-bench-redis-" + port + "-");
            process = new ProcessBuilder(
                            binary.toString(),
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--daemonize",
                            "no",
                            "--dir",
                            directory.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BenchmarkRedis redis = new BenchmarkRedis(
                URI.create("redis://127.0.0.1:" + port),
                "127.0.0.1:" + port + " (" + binary + ", started for this run, stopped at its end)",
                process,
                directory);
        Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "huddle-bench-redis-stop"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answersPing(port, 300)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                redis.close();
                throw new IllegalStateException("redis-server did not answer on port " + port + " within 10 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                redis.close();
                throw new IllegalStateException("interrupted while starting redis-server", e);
            }
        }
        return redis;
    }

    private static Optional<Path> redisServerOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean answersPing(int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[7];
            InputStream in = socket.getInputStream();
            int read = in.readNBytes(reply, 0, reply.length);
            return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }
}
