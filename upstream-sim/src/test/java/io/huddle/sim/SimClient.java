package io.huddle.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real HTTP requests to a simulator, as a test needs them. */
final class SimClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI baseUrl;

    SimClient(UpstreamSimulator simulator) {
        this.baseUrl = simulator.baseUrl();
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    HttpResponse<String> get(String pathAndQuery, String apiKey) {
        return send(request(pathAndQuery).header("Authorization", apiKey).GET().build());
    }

    HttpResponse<String> send(String method, String pathAndQuery) {
        return send(request(pathAndQuery)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());
    }

    /** A GET that throws what the client throws, for timeout tests. */
    HttpResponse<String> getWithin(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        return http.send(request(pathAndQuery).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a 200 answer as JSON. */
    JsonNode ok(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError(
                    "GET " + pathAndQuery + " answered " + response.statusCode() + " " + response.body());
        }
        return json(response);
    }

    /** Every item of a paged list, following next_cursor. */
    List<JsonNode> allPages(String pathAndQuery) {
        List<JsonNode> items = new ArrayList<>();
        String separator = pathAndQuery.contains("?") ? "&" : "?";
        String cursor = null;
        do {
            JsonNode page = ok(pathAndQuery + (cursor == null ? "" : separator + "cursor=" + cursor));
            page.get("data").forEach(items::add);
            JsonNode next = page.path("meta").get("next_cursor");
            cursor = next == null ? null : next.asText();
        } while (cursor != null);
        return items;
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static String error(HttpResponse<String> response) {
        return json(response).get("error").asText();
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(baseUrl.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
