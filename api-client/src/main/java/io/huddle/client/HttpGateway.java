package io.huddle.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.huddle.core.sports.UpstreamException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends one GET and turns the answer into a value or a typed {@link UpstreamException}: the one
 * place where HTTP statuses, timeouts, broken connections and unreadable JSON get their meaning.
 * The API key goes in the {@code Authorization} header and nowhere else.
 */
final class HttpGateway {
    private final HttpClient http;
    private final URI baseUrl;
    private final String apiKey;
    private final Duration requestTimeout;
    private final ObjectMapper json = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    HttpGateway(URI baseUrl, String apiKey, Duration connectTimeout, Duration requestTimeout) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    JavaType type(Class<?> container, Class<?> element) {
        return json.getTypeFactory().constructParametricType(container, element);
    }

    /** GETs {@code pathAndQuery} (relative to the base URL) and maps the JSON body to {@code type}. */
    <T, R> R get(String pathAndQuery, JavaType type, Function<T, R> toDomain) {
        String request = "GET " + pathAndQuery;
        HttpResponse<String> response = send(request, pathAndQuery);
        if (response.statusCode() != 200) {
            throw failure(request, response);
        }
        try {
            @SuppressWarnings("unchecked")
            T body = (T) json.readValue(response.body(), type);
            return toDomain.apply(Wire.required(body, "body"));
        } catch (JsonProcessingException e) {
            throw new UpstreamException.Unavailable(request, "the answer is not the expected JSON", null);
        } catch (RuntimeException e) {
            throw new UpstreamException.Unavailable(request, "the answer could not be read: " + e.getMessage(), null);
        }
    }

    private HttpResponse<String> send(String request, String pathAndQuery) {
        HttpRequest httpRequest = HttpRequest.newBuilder(baseUrl.resolve(pathAndQuery))
                .timeout(requestTimeout)
                .header("Authorization", apiKey)
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            return http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new UpstreamException.Unavailable(request, "no answer within " + requestTimeout, null);
        } catch (IOException e) {
            throw new UpstreamException.Unavailable(
                    request, "the connection failed: " + e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException.Unavailable(request, "interrupted", null);
        }
    }

    private UpstreamException failure(String request, HttpResponse<String> response) {
        int status = response.statusCode();
        String message = status + " " + errorText(response.body());
        return switch (status) {
            case 400, 422 -> new UpstreamException.BadRequest(request, message);
            case 401, 403 -> new UpstreamException.Unauthorized(request, message);
            case 404 -> new UpstreamException.NotFound(request, message);
            case 429 ->
                new UpstreamException.RateLimited(
                        request, message, retryAfter(response).orElse(null));
            default -> new UpstreamException.Unavailable(request, message, null);
        };
    }

    /** The provider's {@code {"error": "..."}} text, or a short note when the body is something else. */
    private String errorText(String body) {
        try {
            JsonNode node = json.readTree(body);
            JsonNode error = node == null ? null : node.get("error");
            if (error != null && error.isTextual()) {
                String text = error.asText();
                return text.length() > 200 ? text.substring(0, 200) + "..." : text;
            }
        } catch (JsonProcessingException | RuntimeException unreadable) {
            // fall through: the body is not the provider's error JSON
        }
        return "(no error message)";
    }

    /** {@code Retry-After} as seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(HttpGateway::parseRetryAfter);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        String text = value.strip();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(
                        ZonedDateTime.now(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
