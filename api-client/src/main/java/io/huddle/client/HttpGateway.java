package io.huddle.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.huddle.sports.UpstreamException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Sends one GET and turns the answer into a value or a typed {@link UpstreamException}: the one
 * place where HTTP statuses, deadlines, broken connections, oversized bodies and unreadable JSON get
 * their meaning. The API key goes in the {@code Authorization} header and nowhere else; text the
 * provider sends back is cleaned of it before it goes into a message.
 *
 * <p>Each exchange (connecting, the headers, the whole body) has one deadline, {@code
 * requestTimeout}: the calling thread waits no longer, and at the deadline the exchange is cancelled
 * and its connection closed, so a body that drips or never ends holds nothing afterwards.
 */
final class HttpGateway {
    private final HttpClient http;
    private final URI baseUrl;
    private final ApiKey apiKey;
    private final Duration requestTimeout;
    private final long maxBodyBytes;
    private final Duration maxRetryAfter;
    private final InstantSource clock;
    private final ObjectMapper json = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    HttpGateway(URI baseUrl, ApiKey apiKey, BalldontlieClient.Settings settings) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.requestTimeout = settings.requestTimeout();
        this.maxBodyBytes = settings.maxBodyBytes();
        this.maxRetryAfter = settings.maxRetryAfter();
        this.clock = settings.clock();
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    JavaType type(Class<?> container, Class<?> element) {
        return json.getTypeFactory().constructParametricType(container, element);
    }

    /** GETs {@code pathAndQuery} (relative to the base URL) and maps the JSON body to {@code type}. */
    <T, R> R get(String pathAndQuery, JavaType type, Function<T, R> toDomain) {
        String request = "GET " + pathAndQuery;
        HttpResponse<byte[]> response = exchange(request, pathAndQuery);
        if (response.statusCode() != 200) {
            throw failure(request, response);
        }
        T body;
        try {
            body = json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new UpstreamException.BadResponse(request, "the answer is not the expected JSON");
        }
        try {
            return toDomain.apply(Wire.required(body, "body"));
        } catch (UpstreamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UpstreamException.BadResponse(request, "the answer could not be read: " + e.getMessage());
        }
    }

    /** One exchange, whole body included, within the deadline. */
    private HttpResponse<byte[]> exchange(String request, String pathAndQuery) {
        HttpRequest httpRequest = httpRequest(request, pathAndQuery);
        BoundedBody body = new BoundedBody(maxBodyBytes);
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(httpRequest, body);
        boolean answered = false;
        try {
            HttpResponse<byte[]> response = answer.get(Durations.nanos(requestTimeout), TimeUnit.NANOSECONDS);
            answered = true;
            return response;
        } catch (TimeoutException e) {
            throw incomplete(request);
        } catch (ExecutionException e) {
            throw failed(request, e.getCause(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException.Unavailable(request, "interrupted", null);
        } finally {
            if (!answered) {
                answer.cancel(true);
                body.abort();
            }
        }
    }

    private HttpRequest httpRequest(String request, String pathAndQuery) {
        try {
            return HttpRequest.newBuilder(baseUrl.resolve(pathAndQuery))
                    .timeout(requestTimeout) // ends waiting for the headers; the deadline covers the body
                    .header("Authorization", apiKey.value())
                    .header("Accept", "application/json")
                    .GET()
                    .build();
        } catch (IllegalArgumentException e) {
            // the JDK's message may quote a header value; it is not passed on
            throw new UpstreamException.BadRequest(request, "the request could not be built");
        }
    }

    private UpstreamException incomplete(String request) {
        return new UpstreamException.Unavailable(
                request, "no complete answer within " + Durations.text(requestTimeout), null);
    }

    private UpstreamException failed(String request, Throwable failure, BoundedBody body) {
        if (body.tooLarge()) {
            return new UpstreamException.BadResponse(
                    request, "the answer is larger than " + maxBodyBytes + " bytes (maxBodyBytes)");
        }
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new UpstreamException.Unavailable(request, "could not connect in time", null);
        }
        if (cause instanceof HttpTimeoutException) {
            return incomplete(request);
        }
        String what = cause instanceof IOException ? "the connection failed: " : "the exchange failed: ";
        return new UpstreamException.Unavailable(
                request, what + cause.getClass().getSimpleName(), null);
    }

    private UpstreamException failure(String request, HttpResponse<byte[]> response) {
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
    private String errorText(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            JsonNode error = node == null ? null : node.get("error");
            if (error != null && error.isTextual()) {
                String text = apiKey.redact(error.asText());
                return text.length() > 200 ? text.substring(0, 200) + "..." : text;
            }
        } catch (IOException | RuntimeException unreadable) {
            // fall through: the body is not the provider's error JSON
        }
        return "(no error message)";
    }

    /** {@code Retry-After} as seconds or an HTTP date, at most {@code maxRetryAfter}; empty if unreadable. */
    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .flatMap(value -> RetryAfter.parse(value, maxRetryAfter, clock.instant()));
    }
}
