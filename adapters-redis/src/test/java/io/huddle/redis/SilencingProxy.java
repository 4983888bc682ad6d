package io.huddle.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a server that can make the connections it carries fall silent without
 * closing them, as a firewall that forgets an idle connection does: nothing more passes either way,
 * and neither end is told. Connections made afterwards pass normally.
 */
final class SilencingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();

    SilencingProxy(String targetHost, int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        daemon(this::accept, "proxy-accept");
    }

    int port() {
        return server.getLocalPort();
    }

    /** How many silenced connections their client has closed since. */
    long silencedAndClosedByClient() {
        return links.stream()
                .filter(link -> link.silenced && link.closedByClient)
                .count();
    }

    /** Every connection open now stops carrying bytes, both ways, and stays open. */
    void silenceOpenConnections() {
        links.forEach(link -> {
            link.silent = true;
            link.silenced = true;
        });
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(targetHost, targetPort);
                Link link = new Link(client, target);
                links.add(link);
                daemon(() -> link.pump(client, target), "proxy-up");
                daemon(() -> link.pump(target, client), "proxy-down");
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Link link : links) {
            link.client.close();
            link.target.close();
        }
    }

    private static final class Link {
        final Socket client;
        final Socket target;
        volatile boolean silent;
        volatile boolean silenced;
        volatile boolean closedByClient;

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!silent) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
                if (from == client) {
                    closedByClient = true;
                }
            } catch (IOException closed) {
                if (from == client) {
                    closedByClient = true;
                }
            }
        }
    }
}
