package io.huddle.examples.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.huddle.core.internal.QuietLog;
import io.huddle.sports.Season;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.LoggerFactory;

/**
 * The chatbot's HTTP server: the JSON API, {@code /metrics}, {@code /health}, {@code /api/stats} and
 * the dashboard at {@code /}, on Javalin. Every error is a problem document ({@link Problem}).
 */
final class WebApp implements AutoCloseable {
    /** Marks a request answered with a problem, so that the 404 page does not replace it. */
    private static final String PROBLEM_ANSWERED = "huddle.problem";

    private static final QuietLog SAMPLES = new QuietLog(LoggerFactory.getLogger(WebApp.class));

    /** Connections the kernel keeps waiting for an accept. */
    static final int ACCEPT_QUEUE = 1024;

    private final Javalin app;
    private final ScheduledExecutorService sampler;

    private WebApp(Javalin app, ScheduledExecutorService sampler) {
        this.app = app;
        this.sampler = sampler;
    }

    /**
     * Starts serving on the port (0: any free one).
     *
     * @param registry the registry {@code /metrics} scrapes, with the stack's meters bound
     * @param loadTimes the load times the dashboard shows
     */
    static WebApp start(ServerStack stack, PrometheusMeterRegistry registry, LoadTimers loadTimes, int port) {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(registry, "registry");
        ChatApi chat = new ChatApi(stack.service(), stack.season());
        OperatorView view = new OperatorView(stack, InstantSource.system(), loadTimes);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.modifyServer(jetty -> jetty.setErrorHandler(new JettyErrors()));
            config.jetty.addConnector((jetty, http) -> {
                ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
                connector.setPort(port);
                // a crowd connecting at once: the JDK's default backlog of 50 drops connections,
                // which the clients retry only after a second
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                return connector;
            });
            config.jsonMapper(new JavalinJackson(JSON, false));
            config.staticFiles.enableWebjars();
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = Location.CLASSPATH;
            });
            config.routes.get("/api/players", chat::players);
            config.routes.get("/api/players/{name}/stats", chat::stats);
            config.routes.get("/api/compare", chat::compare);
            config.routes.get("/api/teams", chat::teams);
            config.routes.get("/api/teams/{id}/roster", chat::roster);
            config.routes.get("/api/stats", ctx -> ctx.json(view.stats()));
            config.routes.get("/health", ctx -> health(ctx, view.health()));
            config.routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(registry.scrape()));
            config.routes.exception(Exception.class, (failure, ctx) -> problem(ctx, Problems.of(failure)));
            config.routes.error(404, ctx -> {
                boolean answered = ctx.attribute(PROBLEM_ANSWERED) != null;
                if (!answered && (ctx.path().startsWith("/api/") || ctx.result() == null)) {
                    problem(ctx, Problem.of(404, "not-found", "Not found", "no such page: " + ctx.path()));
                }
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot serve on port " + port + ": " + e.getMessage(), e);
        }
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "huddle-server-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(() -> sample(view), 1, 1, TimeUnit.SECONDS);
        return new WebApp(app, sampler);
    }

    /** One sample of the budget's count; a failure is logged and the next second samples again. */
    private static void sample(OperatorView view) {
        try {
            view.sample();
        } catch (RuntimeException e) {
            SAMPLES.warn("sampling the upstream budget failed: {}", e.toString());
        }
    }

    /** The port served on. */
    int port() {
        return app.port();
    }

    private static void health(Context ctx, OperatorView.Health health) {
        ctx.status(health.status().equals(OperatorView.State.DOWN.json()) ? 503 : 200)
                .json(health);
    }

    private static void problem(Context ctx, Problem problem) {
        Problem answered = problem.at(ctx.path());
        ctx.attribute(PROBLEM_ANSWERED, Boolean.TRUE);
        ctx.status(answered.status());
        if (answered.retryAfter() != null) {
            ctx.header("Retry-After", Long.toString(answered.retryAfter()));
        }
        ctx.json(answered).contentType(Problem.CONTENT_TYPE);
    }

    /** Jackson for the answers: records as objects, a season as its year, instants as ISO-8601. */
    static final ObjectMapper JSON = mapper();

    private static ObjectMapper mapper() {
        SimpleModule sports = new SimpleModule("huddle-server");
        sports.addSerializer(new StdSerializer<>(Season.class) {
            @Override
            public void serialize(Season season, JsonGenerator json, SerializerProvider provider) throws IOException {
                json.writeNumber(season.year());
            }
        });
        sports.addSerializer(new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant instant, JsonGenerator json, SerializerProvider provider) throws IOException {
                json.writeString(instant.toString());
            }
        });
        return new ObjectMapper().registerModule(sports).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        app.stop();
    }
}
