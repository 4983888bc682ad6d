package io.huddle.redis;

import io.huddle.testkit.Eventually;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.embedded.RedisServer;

/**
 * A Redis server that a test started and may stop and start again on the same port: a child {@code
 * redis-server} process from the PATH, or else embedded-redis's bundled binary. Keeps nothing on
 * disk ({@code save ""}, {@code appendonly no}); listens on 127.0.0.1 only.
 */
public abstract class OwnedRedis implements AutoCloseable {
    final int port;

    private OwnedRedis(int port) {
        this.port = port;
    }

    /** A server from {@code redis-server} on the PATH if there is one, else the embedded binary. */
    public static OwnedRedis start() {
        return redisServerOnPath()
                .<OwnedRedis>map(binary -> new ChildProcess(binary, freePort(), List.of()))
                .orElseGet(() -> new Embedded(freePort()))
                .started();
    }

    /** A server from the given {@code redis-server} binary, as a child process that {@link #kill()} kills. */
    public static OwnedRedis start(Path binary) {
        return new ChildProcess(binary, freePort(), List.of()).started();
    }

    /** {@code redis-server} on the PATH, if any. */
    public static Optional<Path> redisServerOnPath() {
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

    /** A TCP port nothing listens on now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a Redis at 127.0.0.1:port answers PING with PONG within the timeout. */
    static boolean answersPing(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
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

    /** Where the server listens. */
    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** What kind of server this is, for the test log. */
    abstract String kind();

    /** Starts the server and waits until it answers. */
    final OwnedRedis started() {
        launch();
        Eventually.await(
                kind() + " answers on port " + port, Duration.ofSeconds(10), () -> answersPing("127.0.0.1", port, 300));
        return this;
    }

    /** What it is and where, for logs. */
    public String description() {
        return kind() + " on 127.0.0.1:" + port;
    }

    /** Starts the server again on the same port, empty. */
    public void restart() {
        started();
    }

    abstract void launch();

    /** Stops the server; its data is gone. */
    abstract void stop();

    /**
     * Kills the server at once, as a crash does: SIGKILL to its process (the embedded binary, which
     * this class cannot signal, is stopped). Its data is gone.
     */
    public abstract void kill();

    @Override
    public void close() {
        stop();
    }

    /** A {@code redis-server} child process; extra arguments (Cluster mode) may be added. */
    static final class ChildProcess extends OwnedRedis {
        private final Path binary;
        private final List<String> extraArguments;
        private final Path directory;
        private Process process;

        ChildProcess(Path binary, int port, List<String> extraArguments) {
            super(port);
            this.binary = binary;
            this.extraArguments = List.copyOf(extraArguments);
            try {
                this.directory = Files.createTempDirectory("huddle-redis-" + port + "-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        }

        @Override
        String kind() {
            return "redis-server " + binary + " (child process)";
        }

        @Override
        synchronized void launch() {
            List<String> command = new ArrayList<>(List.of(
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
                    directory.toString()));
            command.addAll(extraArguments);
            try {
                process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve("redis.log").toFile())
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        synchronized void stop() {
            if (process == null) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        @Override
        public synchronized void kill() {
            if (process == null) {
                return;
            }
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        /** Stops the server and deletes its directory (its log, a Cluster's nodes file). */
        @Override
        public synchronized void close() {
            stop();
            if (!Files.exists(directory)) {
                return;
            }
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** embedded-redis's bundled binary (Redis 6.2). */
    static final class Embedded extends OwnedRedis {
        private final RedisServer server;

        Embedded(int port) {
            super(port);
            try {
                server = RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        }

        @Override
        String kind() {
            return "embedded-redis bundled binary";
        }

        @Override
        synchronized void launch() {
            try {
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void kill() {
            stop();
        }

        @Override
        synchronized void stop() {
            try {
                if (server.isActive()) {
                    server.stop();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
