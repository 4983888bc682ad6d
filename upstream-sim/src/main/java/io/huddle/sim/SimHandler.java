package io.huddle.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: admin requests, routing, counting, the API key check, the rate limit, latency,
 * faults, then the answer from {@link Endpoints}. Never lets an exception escape: a bug becomes a
 * logged 500 with a JSON error.
 */
final class SimHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(SimHandler.class);

    static final String ANONYMOUS = "anonymous";
    static final String RATE_LIMITED = "rate limit exceeded";
    /** What {@code malformedNext} answers: the start of a player list, cut off. */
    static final String MALFORMED_BODY = "{\"data\":[{\"id\":1,\"first_name\":\"Pat";

    private static final Duration HANG_LIMIT = Duration.ofSeconds(30);
    private static final int MAX_SHOWN_PATH = 100;

    private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private final Endpoints endpoints;
    private final Counters counters = new Counters();
    private final RateLimiter limiter;
    private final Faults faults;
    private final StreamedBodies streamed;
    private final String apiKey;
    private volatile Duration latency;

    SimHandler(Endpoints endpoints, RateLimiter limiter, Faults faults, String apiKey, Duration latency) {
        this.endpoints = endpoints;
        this.limiter = limiter;
        this.faults = faults;
        this.streamed = new StreamedBodies(faults);
        this.apiKey = apiKey;
        this.latency = latency;
    }

    void setLatency(Duration latency) {
        this.latency = latency;
    }

    UpstreamCalls calls() {
        return counters.snapshot(limiter.maxAcceptedInAnyMinute());
    }

    void resetCounters() {
        counters.reset();
        limiter.resetMaximum();
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            Answer answer;
            try {
                answer = answer(exchange);
            } catch (HttpProblem problem) {
                answer = error(problem.status(), problem.getMessage());
            }
            send(exchange, answer);
        } catch (IOException e) {
            log.debug(
                    "could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            try {
                sendWhole(exchange, error(500, "internal simulator error"));
            } catch (IOException | RuntimeException ignored) {
                // the answer was already under way; nothing more can be said
            }
        } finally {
            exchange.close();
        }
    }

    private Answer answer(HttpExchange exchange) throws InterruptedException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            return admin(method, path);
        }
        Route.Match match = Route.match(path).orElseThrow(() -> new HttpProblem(404, "no such path: " + shorten(path)));
        if (!"GET".equals(method)) {
            return error(405, shorten(method) + " is not allowed here; use GET").with("Allow", "GET");
        }
        counters.call(match.route());
        String key = exchange.getRequestHeaders().getFirst("Authorization");
        if (apiKey != null && !apiKey.equals(key)) {
            throw new HttpProblem(
                    401, key == null ? "the Authorization header is missing" : "the API key is not valid");
        }
        Optional<Duration> refused = limiter.refusal(key == null ? ANONYMOUS : key);
        if (refused.isPresent()) {
            counters.rateLimited();
            return error(429, RATE_LIMITED)
                    .with("Retry-After", String.valueOf(refused.get().toSeconds()));
        }
        Duration delay = latency;
        if (!delay.isZero()) {
            Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
        }
        Optional<Faults.Fault> fault = faults.next();
        if (fault.isPresent()) {
            counters.fault();
            return faulted(fault.get(), match, exchange);
        }
        return normal(match, exchange);
    }

    private Answer normal(Route.Match match, HttpExchange exchange) {
        return json(
                200,
                endpoints.answer(match, Query.parse(exchange.getRequestURI().getRawQuery())));
    }

    private Answer faulted(Faults.Fault fault, Route.Match match, HttpExchange exchange) throws InterruptedException {
        return switch (fault.kind()) {
            case FAIL -> error(fault.status(), "simulated failure");
            case RATE_LIMIT -> {
                Answer limited = error(fault.status(), RATE_LIMITED);
                yield fault.retryAfter() == null ? limited : limited.with("Retry-After", fault.retryAfter());
            }
            case MALFORMED -> new Answer(200, MALFORMED_BODY.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
            case HANG -> {
                faults.pause(faults.releases(), HANG_LIMIT);
                yield error(fault.status(), "simulated hang ended without an answer");
            }
            case DRIP -> Answer.streamed(streamed.drip(normal(match, exchange).body(), (int) fault.amount()));
            case ENDLESS -> Answer.streamed(streamed.endless());
            case HUGE -> Answer.streamed(streamed.huge(fault.amount()));
        };
    }

    private Answer admin(String method, String path) {
        return switch (path) {
            case "/admin/calls" -> "GET".equals(method) ? json(200, calls()) : adminMethod("GET");
            case "/admin/reset" -> {
                if (!"POST".equals(method)) {
                    yield adminMethod("POST");
                }
                resetCounters();
                yield json(200, calls());
            }
            default -> error(404, "no such path: " + shorten(path));
        };
    }

    private Answer adminMethod(String allowed) {
        return error(405, "use " + allowed + " here").with("Allow", allowed);
    }

    private Answer error(int status, String message) {
        return json(status, new Data.ErrorAnswer(message));
    }

    private Answer json(int status, Object body) {
        try {
            return new Answer(status, json.writeValueAsBytes(body), new LinkedHashMap<>());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName(), e);
        }
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException, InterruptedException {
        if (answer.streamed() == null) {
            sendWhole(exchange, answer);
            return;
        }
        setHeaders(exchange, answer);
        exchange.sendResponseHeaders(answer.status(), 0); // chunked: no length is said
        try (OutputStream out = exchange.getResponseBody()) {
            answer.streamed().writeTo(out);
        }
    }

    private static void sendWhole(HttpExchange exchange, Answer answer) throws IOException {
        setHeaders(exchange, answer);
        exchange.sendResponseHeaders(answer.status(), answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    private static void setHeaders(HttpExchange exchange, Answer answer) {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json; charset=utf-8");
        headers.set("X-Data-Synthetic", "true");
        answer.headers().forEach(headers::set);
    }

    private static String shorten(String text) {
        return text.length() > MAX_SHOWN_PATH ? text.substring(0, MAX_SHOWN_PATH) + "..." : text;
    }

    /** A status, a body (or one streamed after the headers) and extra headers. */
    private record Answer(int status, byte[] body, Map<String, String> headers, StreamedBodies.Body streamed) {
        Answer(int status, byte[] body, Map<String, String> headers) {
            this(status, body, headers, null);
        }

        static Answer streamed(StreamedBodies.Body body) {
            return new Answer(200, new byte[0], new LinkedHashMap<>(), body);
        }

        Answer with(String header, String value) {
            headers.put(header, value);
            return this;
        }
    }
}
