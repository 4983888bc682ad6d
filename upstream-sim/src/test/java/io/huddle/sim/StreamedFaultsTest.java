package io.huddle.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Faults that take time stream their body after the headers and stop when the client goes away")
class StreamedFaultsTest {
    private static final Duration BOUND = Duration.ofSeconds(20); // against a hang, not a timing

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private UpstreamSimulator simulator = UpstreamSimulator.builder().build().start();

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    @DisplayName("dripNext sends the headers at once and the real body slowly, while other requests are answered")
    void drip() throws Exception {
        byte[] normal = new SimClient(simulator).get("/nfl/v1/teams").body().getBytes(StandardCharsets.UTF_8);
        simulator.dripNext(1, 100);

        HttpResponse<InputStream> dripping =
                http.send(request("/nfl/v1/teams"), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(dripping.statusCode()).isEqualTo(200);
        try (InputStream body = dripping.body()) {
            long started = System.nanoTime();
            byte[] first = body.readNBytes(20);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("20 bytes at 100 bytes a second")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(first).containsExactly(Arrays.copyOf(normal, 20));
            assertThat(new SimClient(simulator).ok("/nfl/v1/teams").get("data"))
                    .as("answered while the other one drips")
                    .hasSize(32);
        }
        assertThat(simulator.calls().faults()).isEqualTo(1);
    }

    @Test
    @DisplayName("a dripped body, read to its end, is the real answer")
    void dripWhole() throws Exception {
        String normal = new SimClient(simulator).get("/nfl/v1/teams").body();
        simulator.dripNext(1, 1_000_000);

        HttpResponse<String> dripped = http.send(request("/nfl/v1/teams"), HttpResponse.BodyHandlers.ofString());

        assertThat(dripped.statusCode()).isEqualTo(200);
        assertThat(dripped.body()).isEqualTo(normal);
        assertThat(dripped.headers().firstValue("Content-Length")).isEmpty();
    }

    @Test
    @DisplayName("endlessNext opens a list and keeps adding to it")
    void endless() throws Exception {
        simulator.endlessNext(1);

        HttpResponse<InputStream> endless =
                http.send(request("/nfl/v1/teams"), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(endless.statusCode()).isEqualTo(200);
        try (InputStream body = endless.body()) {
            String start =
                    new String(body.readNBytes(9 + 3 * (StreamedBodies.ITEM.length() + 1)), StandardCharsets.UTF_8);
            assertThat(start).startsWith("{\"data\":[" + StreamedBodies.ITEM + "," + StreamedBodies.ITEM + ",");
        }
        assertThat(new SimClient(simulator).ok("/nfl/v1/teams").get("data")).hasSize(32);
    }

    @Test
    @DisplayName("hugeNext streams a valid list of about the size asked, as one call")
    void huge() throws Exception {
        simulator.hugeNext(1, 2_000_000);

        HttpResponse<byte[]> huge = http.send(request("/nfl/v1/teams"), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(huge.statusCode()).isEqualTo(200);
        assertThat(huge.body().length).isBetween(2_000_000 - StreamedBodies.ITEM.length() - 4, 2_000_000);
        JsonNode list = SimClient.JSON.readTree(huge.body());
        assertThat(list.get("data").size()).isGreaterThan(10_000);
        assertThat(simulator.calls().total()).isEqualTo(1);
        assertThat(simulator.calls().faults()).isEqualTo(1);
    }

    @Test
    @DisplayName("rateLimitNext answers 429 with the Retry-After given, sent as it is, or with none")
    void rateLimitNext() {
        SimClient client = new SimClient(simulator);
        for (String retryAfter : List.of("86400", "99999999999999999999", "soon", "Fri, 31 Dec 9999 23:59:59 GMT")) {
            simulator.rateLimitNext(1, retryAfter);

            HttpResponse<String> limited = client.get("/nfl/v1/teams");

            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(SimClient.error(limited)).isEqualTo(SimHandler.RATE_LIMITED);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue(retryAfter);
        }
        simulator.rateLimitNext(1, null);
        HttpResponse<String> bare = client.get("/nfl/v1/teams");
        assertThat(bare.statusCode()).isEqualTo(429);
        assertThat(bare.headers().firstValue("Retry-After")).isEmpty();
        assertThat(client.get("/nfl/v1/teams").statusCode()).isEqualTo(200);
        assertThat(simulator.calls().faults()).isEqualTo(5);
        assertThat(simulator.calls().rateLimited()).isZero();
    }

    @Test
    @DisplayName("a client that goes away frees the thread that streamed to it")
    void clientGoesAway() throws Exception {
        simulator.close();
        simulator = UpstreamSimulator.builder().threads(1).build().start();
        for (Runnable arm : List.<Runnable>of(
                () -> simulator.endlessNext(1),
                () -> simulator.dripNext(1, 10),
                () -> simulator.hugeNext(1, 1L << 40))) {
            arm.run();
            try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
                assertThat(sendAndReadHeaders(socket)).startsWith("HTTP/1.1 200");
            }

            // the only server thread must be free again to answer this one
            assertThat(new SimClient(simulator).ok("/nfl/v1/teams").get("data")).hasSize(32);
        }
    }

    @Test
    @DisplayName("heal cuts short a body being streamed")
    void healEndsStreams() throws Exception {
        simulator.endlessNext(1);
        HttpResponse<InputStream> endless =
                http.send(request("/nfl/v1/teams"), HttpResponse.BodyHandlers.ofInputStream());

        simulator.heal();

        byte[] cut = assertTimeoutPreemptively(BOUND, () -> endless.body().readAllBytes());
        assertThat(new String(cut, StandardCharsets.UTF_8)).startsWith("{\"data\":[");
        assertThatThrownBy(() -> SimClient.JSON.readTree(cut)).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    @DisplayName(
            "close drops the bodies being streamed, even to a client that stopped reading, and ends every server thread")
    void closeEndsStreams() throws Exception {
        String threads = UpstreamSimulator.threadPrefix(simulator.port());
        simulator.endlessNext(1);
        simulator.hugeNext(1, 1L << 40);
        try (Socket endless = new Socket("127.0.0.1", simulator.port());
                Socket huge = new Socket("127.0.0.1", simulator.port())) {
            sendAndReadHeaders(endless);
            sendAndReadHeaders(huge); // and then reads nothing: the writes fill the buffers and block
            List<Thread> serverThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith(threads))
                    .toList();
            assertThat(serverThreads).hasSizeGreaterThanOrEqualTo(2);

            assertTimeoutPreemptively(BOUND, simulator::close);

            for (Thread thread : serverThreads) {
                thread.join(BOUND.toMillis());
                assertThat(thread.isAlive()).as(thread.getName()).isFalse();
            }
        }
    }

    @Test
    @DisplayName("a drip must have a positive rate, a huge body at least 1024 bytes, and a Retry-After printable ASCII")
    void arguments() {
        assertThatThrownBy(() -> simulator.dripNext(1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytesPerSecond");
        assertThatThrownBy(() -> simulator.hugeNext(1, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024");
        assertThatThrownBy(() -> simulator.rateLimitNext(1, "1\r\nX-Injected: yes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+000D");
        assertThatThrownBy(() -> simulator.endlessNext(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private HttpRequest request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(simulator.baseUrl() + pathAndQuery))
                .timeout(BOUND)
                .GET()
                .build();
    }

    /** Sends a GET of the teams on a plain socket and reads the answer's headers, nothing more. */
    private static String sendAndReadHeaders(Socket socket) throws IOException {
        socket.setSoTimeout((int) BOUND.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write("GET /nfl/v1/teams HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("the connection ended within the headers: " + headers);
            }
            headers.append((char) next);
        }
        return headers.toString();
    }
}
