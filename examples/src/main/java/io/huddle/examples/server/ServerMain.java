package io.huddle.examples.server;

import io.huddle.examples.Failures;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the chatbot's server: {@code ./server}, or {@code java -cp huddle-examples.jar
 * io.huddle.examples.server.ServerMain}. Runs until stopped (Ctrl-C); exits 2 for bad options, 1
 * when it cannot start.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        ServerOptions options;
        try {
            options = ServerOptions.parse(System.getenv(), args);
        } catch (IllegalArgumentException e) {
            System.err.println("server: " + e.getMessage());
            System.err.print(ServerOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(ServerOptions.USAGE);
            return;
        }
        HuddleServer server;
        try {
            server = HuddleServer.start(options);
        } catch (RuntimeException e) {
            System.err.println("server: " + Failures.rootMessage(e));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "huddle-server-shutdown"));
        System.out.println("Huddle server on http://localhost:" + server.port() + "/ (the dashboard; the API under"
                + " /api, /metrics, /health); shared cache on " + options.backend() + ", upstream "
                + server.upstreamDescription() + ". Ctrl-C stops it.");
        stopped.await();
    }
}
