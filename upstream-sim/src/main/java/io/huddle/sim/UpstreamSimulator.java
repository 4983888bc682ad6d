package io.huddle.sim;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An offline stand-in for the balldontlie NFL v1 API: the same paths and JSON, served over HTTP by
 * the JDK's server, with a per-key rate limit, latency, scripted and random faults, a switch for name
 * search and call counters. The data are the 32 real teams, a few real players on their 2024 teams,
 * a few real retired players (on no team, with the real teams of their past seasons) and generated
 * filler players; all stats are synthetic (every answer carries {@code X-Data-Synthetic: true}). The
 * same seed always gives the same data. See {@code API.md}.
 *
 * <pre>{@code
 * try (UpstreamSimulator upstream = UpstreamSimulator.builder().rateLimitPerMinute(60).build().start()) {
 *     URI baseUrl = upstream.baseUrl(); // http://127.0.0.1:PORT
 *     upstream.failNext(2, 503);
 *     ...
 *     long rosterCalls = upstream.calls().route(UpstreamCalls.ROSTER);
 * }
 * }</pre>
 *
 * <p>Each request is answered on one of a fixed pool of server threads ({@link Builder#threads}); a
 * request that hangs or streams a slow body holds only its own thread, so the others keep answering.
 *
 * <p>Every method is thread-safe; the switches and faults take effect for requests arriving after the
 * call.
 */
public final class UpstreamSimulator implements AutoCloseable {
    /** The 400 error text of {@code /players?search=} while name search is switched off. */
    public static final String NAME_SEARCH_OFF = "search is not supported by this plan";

    /** The full name two generated players share, one on the Giants (WR) and one on the Seahawks (LB). */
    public static final String SHARED_NAME = "Marcus Hale";

    /**
     * The one season with rosters and the rostered players' stats; other seasons answer empty
     * rosters, and stats only for the retired players who played them.
     */
    public static final int SEASON = League.SEASON;

    private static final int BACKLOG = 1024;

    /** The abbreviations of the 32 teams. */
    private static final Set<String> TEAMS = LeagueGenerator.teamAbbreviations();

    static {
        // The JDK server writes the headers and the body apart; with Nagle on, a client's delayed ACK
        // adds about 40 ms to every answer. The property is read once, when the server first loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Builder settings;
    private final Endpoints endpoints;
    private final RateLimiter limiter;
    private final Faults faults;
    private final SimHandler handler;
    private HttpServer server;
    private ExecutorService executor;
    private boolean closed;

    private UpstreamSimulator(Builder builder) {
        this.settings = builder.copy();
        this.endpoints = new Endpoints(LeagueGenerator.generate(builder.seed, builder.extra), builder.nameSearch);
        this.limiter = new RateLimiter(builder.clock, builder.rateLimitPerMinute, builder.rateWindow);
        this.faults = new Faults(builder.clock);
        this.handler = new SimHandler(endpoints, limiter, faults, builder.apiKey, builder.latency);
    }

    /** A builder with the defaults: any free port on 127.0.0.1, name search on, no rate limit, no latency. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts answering; returns this.
     *
     * @throws UncheckedIOException if the port cannot be bound
     * @throws IllegalStateException if already started or closed
     */
    public synchronized UpstreamSimulator start() {
        if (server != null || closed) {
            throw new IllegalStateException(closed ? "the simulator is closed" : "the simulator is already started");
        }
        try {
            HttpServer created = HttpServer.create(
                    new InetSocketAddress(InetAddress.getByName(settings.host), settings.port), BACKLOG);
            AtomicInteger threadNumber = new AtomicInteger();
            String threadPrefix = threadPrefix(created.getAddress().getPort());
            executor = Executors.newFixedThreadPool(settings.threads, task -> {
                Thread thread = new Thread(task, threadPrefix + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            created.setExecutor(executor);
            created.createContext("/", handler);
            created.start();
            server = created;
            return this;
        } catch (IOException e) {
            if (executor != null) {
                executor.shutdownNow();
            }
            throw new UncheckedIOException("cannot listen on " + settings.host + ":" + settings.port, e);
        }
    }

    /** Where the simulator listens, as {@code http://HOST:PORT} with no path. */
    public synchronized URI baseUrl() {
        return URI.create("http://" + hostForUrl() + ":" + port());
    }

    /** The port bound (the free one chosen when the builder said 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the simulator is not started");
        }
        return server.getAddress().getPort();
    }

    /** Turns name search on or off; while off, {@code /players?search=} answers 400 {@link #NAME_SEARCH_OFF}. */
    public void setNameSearch(boolean enabled) {
        endpoints.setNameSearch(enabled);
    }

    /** The delay before each {@code /nfl/v1} answer, zero for none. */
    public void setLatency(Duration latency) {
        handler.setLatency(notNegative("latency", latency));
    }

    /** Accepted requests per key in any sliding minute; 0 turns the limit off. */
    public void setRateLimitPerMinute(int limit) {
        limiter.setLimit(notNegative("rateLimitPerMinute", limit));
    }

    /** The next {@code n} requests answer {@code status} (a 5xx) with an error body; 0 disarms. */
    public void failNext(int n, int status) {
        faults.failNext(n, status);
    }

    /** Every request answers {@code status} (a 5xx) until {@link #heal()}. */
    public void failAll(int status) {
        faults.failAll(status, null);
    }

    /** Every request answers {@code status} (a 5xx) for {@code duration} of the simulator's clock, or until healed. */
    public void failFor(Duration duration, int status) {
        notNegative("duration", duration);
        faults.failAll(status, settings.clock.instant().plus(duration));
    }

    /**
     * The next {@code n} requests get no answer for 30 seconds (or until {@link #heal()} or {@link
     * #close()}), then a 503: a client's timeout fires first. Each holds a server thread while it hangs.
     */
    public void hangNext(int n) {
        faults.hangNext(n);
    }

    /** The next {@code n} requests answer 200 with a truncated body that is not valid JSON. */
    public void malformedNext(int n) {
        faults.malformedNext(n);
    }

    /**
     * The next {@code n} requests answer 200 at once and then drip their real body at {@code
     * bytesPerSecond} (a piece about every 10 ms, at least a byte; chunked, no {@code
     * Content-Length}). Each holds a server thread until its body is sent, the client goes away, or
     * {@link #heal()} or {@link #close()} cut it short.
     *
     * @throws IllegalArgumentException if {@code n} is negative or {@code bytesPerSecond} not positive
     */
    public void dripNext(int n, int bytesPerSecond) {
        faults.dripNext(n, bytesPerSecond);
    }

    /**
     * The next {@code n} requests answer 200 at once and then a list that never ends: <code>
     * {"data":[</code> and one more team every 10 ms (about 14 KB a second), until the client goes away or
     * {@link #heal()} or {@link #close()} cut it short. Each holds a server thread meanwhile.
     */
    public void endlessNext(int n) {
        faults.endlessNext(n);
    }

    /**
     * The next {@code n} requests answer 200 with a valid {@code {"data":[...]}} list of teams (the
     * same one repeated) of at most {@code bytes} bytes, chunked with no {@code Content-Length},
     * streamed as fast as the client reads; the client going away, {@link #heal()} or {@link
     * #close()} stop it.
     *
     * @throws IllegalArgumentException if {@code n} is negative or {@code bytes} below 1024
     */
    public void hugeNext(int n, long bytes) {
        faults.hugeNext(n, bytes);
    }

    /**
     * The next {@code n} requests answer 429 {@code {"error":"rate limit exceeded"}} with {@code
     * Retry-After: retryAfter} sent exactly as given ({@code "86400"}, {@code "soon"}, an HTTP date),
     * or with no {@code Retry-After} when it is null. Counted as faults, not as the rate limit's own
     * refusals ({@link UpstreamCalls#rateLimited()}).
     *
     * @throws IllegalArgumentException if {@code n} is negative or {@code retryAfter} holds a
     *     character outside printable ASCII
     */
    public void rateLimitNext(int n, String retryAfter) {
        faults.rateLimitNext(n, retryAfter);
    }

    /**
     * Each request fails with 500, 502 or 503 with the given probability, drawn from a generator seeded
     * with {@code seed} (the same sequence of requests fails the same way); 0 turns it off.
     */
    public void randomFaults(double probability, long seed) {
        faults.random(probability, seed);
    }

    /**
     * Disarms every scripted and random fault, releases the requests hanging now and cuts short the
     * bodies being streamed (they end where they stand, incomplete).
     */
    public void heal() {
        faults.heal();
    }

    /** A snapshot of the call counters. */
    public UpstreamCalls calls() {
        return handler.calls();
    }

    /**
     * The most requests one key had accepted within any sliding window of the rate limit (60 seconds
     * unless {@link Builder#rateWindow} says otherwise), by the simulator's clock; never above the rate limit while one is set. A window that spans a {@link
     * #resetCounters()} also counts the requests accepted before the reset, since the rate limit
     * itself keeps them.
     */
    public int maxAcceptedInAnyMinute() {
        return limiter.maxAcceptedInAnyMinute();
    }

    /** Zeroes the counters and {@link #maxAcceptedInAnyMinute()}; the rate limit keeps its windows. */
    public void resetCounters() {
        handler.resetCounters();
    }

    /**
     * Stops answering and releases the port and the threads; hanging requests and streamed bodies are
     * dropped with their connections. Returns once the server threads have ended (or after 5 s).
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        faults.close();
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The start of the names of the server threads of the simulator on {@code port}. */
    static String threadPrefix(int port) {
        return "upstream-sim-" + port + "-";
    }

    private String hostForUrl() {
        InetAddress address = server.getAddress().getAddress();
        if (address.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        String host = address.getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    static Duration notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    static int notNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    /** Builds an {@link UpstreamSimulator}; every setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private boolean nameSearch = true;
        private int rateLimitPerMinute;
        private Duration rateWindow = Duration.ofMinutes(1);
        private Duration latency = Duration.ZERO;
        private long seed = 42L;
        private InstantSource clock = InstantSource.system();
        private String apiKey;
        private int threads = 64;
        private List<LeagueGenerator.Extra> extra = new ArrayList<>();

        private Builder() {}

        /** The address to listen on. Default {@code 127.0.0.1}; {@code 0.0.0.0} for every interface. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /** The port; 0 (the default) picks a free one, see {@link UpstreamSimulator#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Whether {@code /players?search=} works. Default on. */
        public Builder nameSearch(boolean enabled) {
            this.nameSearch = enabled;
            return this;
        }

        /** Accepted requests per key in any sliding minute; 0 (the default) means no limit. */
        public Builder rateLimitPerMinute(int limit) {
            this.rateLimitPerMinute = notNegative("rateLimitPerMinute", limit);
            return this;
        }

        /**
         * The sliding window the rate limit counts in: {@link #rateLimitPerMinute} requests are
         * accepted in any window of this length. Default one minute, as the real provider counts; a
         * few seconds let a test see many windows quickly.
         */
        public Builder rateWindow(Duration window) {
            Objects.requireNonNull(window, "rateWindow");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("rateWindow must be positive, was " + window);
            }
            this.rateWindow = window;
            return this;
        }

        /** The delay before each {@code /nfl/v1} answer (real time). Default zero. */
        public Builder latency(Duration latency) {
            this.latency = notNegative("latency", latency);
            return this;
        }

        /** The seed of the generated players and stats. Default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The clock of the rate limit windows and {@code failFor}. Default the system clock. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The API key every request must carry as its {@code Authorization} header, else 401; null (the
         * default) accepts any key or none.
         */
        public Builder apiKey(String apiKey) {
            if (apiKey != null && apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank (null accepts any key)");
            }
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Server threads answering at once (a hanging, delayed or streaming request holds one; the
         * others keep answering). Default 64.
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Adds a generated wide receiver with exactly these names to the team's 2024 roster (its 54th
         * player) and to searches and the player list, with a synthetic 2024 stat line; on no team
         * when {@code teamAbbreviation} is null. The names are served as given, of any length and
         * with any characters (control characters are escaped in the JSON as usual), so a test can
         * show what a client does with a provider record it did not expect. Ids are 10001, 10002...
         * in the order added. Default none.
         *
         * @throws IllegalArgumentException if the team is not one of the 32 abbreviations ({@code KC})
         */
        public Builder extraPlayer(String firstName, String lastName, String teamAbbreviation) {
            Objects.requireNonNull(firstName, "firstName");
            Objects.requireNonNull(lastName, "lastName");
            if (teamAbbreviation != null && !TEAMS.contains(teamAbbreviation)) {
                throw new IllegalArgumentException("no team '" + teamAbbreviation + "'; teams are " + TEAMS);
            }
            extra.add(new LeagueGenerator.Extra(firstName, lastName, teamAbbreviation));
            return this;
        }

        /** The simulator, with its data generated; not yet listening: call {@link #start()}. */
        public UpstreamSimulator build() {
            return new UpstreamSimulator(this);
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.host = host;
            copy.port = port;
            copy.nameSearch = nameSearch;
            copy.rateLimitPerMinute = rateLimitPerMinute;
            copy.rateWindow = rateWindow;
            copy.latency = latency;
            copy.seed = seed;
            copy.clock = clock;
            copy.apiKey = apiKey;
            copy.threads = threads;
            copy.extra = List.copyOf(extra);
            return copy;
        }
    }
}
