package io.huddle.client;

import com.fasterxml.jackson.databind.JavaType;
import io.huddle.bucket4j.BucketPermits;
import io.huddle.core.internal.Arguments;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.sports.Player;
import io.huddle.sports.PlayerSearch;
import io.huddle.sports.PlayerStats;
import io.huddle.sports.Roster;
import io.huddle.sports.Season;
import io.huddle.sports.SportsDataPort;
import io.huddle.sports.Team;
import io.huddle.sports.UpstreamException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@link SportsDataPort} over HTTP, speaking the balldontlie NFL v1 API ({@code /nfl/v1/...}).
 * Pointed at the real service with a real key it works unchanged; pointed at the simulator it works
 * offline.
 *
 * <pre>{@code
 * SportsDataPort upstream = BalldontlieClient.builder(URI.create("https://api.balldontlie.io"), apiKey)
 *         .requestsPerMinute(60) // the plan's limit, for this server alone
 *         .build();
 *
 * // several servers on one key: one budget for all of them, kept in Redis
 * SportsDataPort shared = BalldontlieClient.builder(URI.create("https://api.balldontlie.io"), apiKey)
 *         .budget(redis.upstreamBudget("balldontlie", BudgetPlan.perMinute(60)))
 *         .build();
 * }</pre>
 *
 * <p>Every request is a GET (idempotent) run under Resilience4j: a bulkhead, then a permit from the
 * {@linkplain Builder#budget upstream budget}, with the priority of the load it runs in ({@link
 * UpstreamBudget.Priority#current()}), taken right before each attempt is sent (without one it is
 * not sent), retries with backoff and jitter
 * for retryable failures (honouring a {@code Retry-After} capped at {@link Builder#maxRetryAfter}), a
 * circuit breaker, and for each attempt one deadline over the whole exchange, body included ({@link
 * Builder#requestTimeout}), and a cap on the body's size ({@link Builder#maxBodyBytes}).
 *
 * <p>Failures are {@link UpstreamException}s; no HTTP or Resilience4j type leaves this class:
 *
 * <ul>
 *   <li>{@link UpstreamException.Unavailable}: 5xx, no connection, no complete answer by the deadline
 *       (the exchange is then cancelled and its connection closed), the circuit open, the bulkhead
 *       full. Retried; counted by the circuit breaker.
 *   <li>{@link UpstreamException.RateLimited}: a 429 (retried when it has no readable {@code
 *       Retry-After} or one that fits in {@link Builder#maxRetryWait}), no permit from the
 *       budget, or the quiet a 429 asked for still running.
 *   <li>{@link UpstreamException.BadResponse}: a 200 whose body is not the expected JSON or
 *       contradicts itself, or any body larger than {@link Builder#maxBodyBytes}. Not retried (the
 *       answer would be the same) and not counted by the circuit breaker.
 *   <li>{@link UpstreamException.NotFound}, {@link UpstreamException.Unauthorized}, {@link
 *       UpstreamException.BadRequest}: 404, 401/403, 400/422. Not retried.
 * </ul>
 *
 * <p>The API key is checked when the builder is made ({@link #builder}) and appears in no log line,
 * no exception message and no {@code toString()}; error text from the provider is cleaned of it.
 * Thread-safe.
 */
public final class BalldontlieClient implements SportsDataPort {
    /** The most pages of 100 a name search reads (300 players: more than share any surname). */
    static final int MAX_SEARCH_PAGES = 3;

    private final URI baseUrl;
    private final Settings settings;
    private final HttpGateway gateway;
    private final Guard guard;
    private final Set<Capability> capabilities;
    /** Team abbreviation to the provider's numeric id, learnt from every teams answer. */
    private final Map<String, Integer> teamIds = new ConcurrentHashMap<>();

    private BalldontlieClient(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.settings = builder.settings();
        this.gateway = new HttpGateway(builder.baseUrl, builder.apiKey, settings);
        this.guard = new Guard("balldontlie", settings);
        Set<Capability> can = EnumSet.noneOf(Capability.class);
        if (builder.nameSearch) {
            can.add(Capability.NAME_SEARCH);
        }
        if (builder.batchStats) {
            can.add(Capability.BATCH_STATS);
        }
        this.capabilities = Set.copyOf(can);
    }

    /**
     * A builder for the API at {@code baseUrl} (scheme, host and port; the {@code /nfl/v1} paths are
     * added) with the given key. The key is stripped of surrounding whitespace (a key read from a file
     * often ends in a newline); what is left must be visible ASCII ({@code !} to {@code ~}).
     *
     * @throws IllegalArgumentException if the base URL is not http or https, or the key is empty or
     *     holds a space, a control character or a character that is not ASCII; the message names the
     *     character's code and index, never the key
     */
    public static Builder builder(URI baseUrl, String apiKey) {
        return new Builder(baseUrl, apiKey);
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public List<Team> teams() {
        return fetchPage("/nfl/v1/teams", Wire.TeamJson.class, page -> {
            List<Team> teams = new ArrayList<>();
            for (Wire.TeamJson team : page.items()) {
                teams.add(team.toTeam());
                teamIds.put(team.abbreviation(), Wire.required(team.id(), "team id"));
            }
            return List.copyOf(teams);
        });
    }

    /**
     * The team's roster for the season.
     *
     * <p>The provider addresses teams by number; the first roster asked for before any {@link #teams()}
     * costs one teams request to learn the numbers.
     */
    @Override
    public Roster roster(String teamId, Season season) {
        if (!teamIds.containsKey(teamId)) {
            teams();
        }
        Integer number = teamIds.get(teamId);
        if (number == null) {
            throw new UpstreamException.NotFound("GET /nfl/v1/teams/" + teamId + "/roster", "no team " + teamId);
        }
        List<Player> players = fetchPage(
                "/nfl/v1/teams/" + number + "/roster?season=" + season.year(),
                Wire.PlayerJson.class,
                page -> page.items().stream().map(Wire.PlayerJson::toPlayer).toList());
        return new Roster(teamId, season, players);
    }

    @Override
    public List<Player> searchPlayers(String name) {
        return search(name).players();
    }

    /**
     * Players whose first, last or full name contains the text, active or retired, from at most 3
     * pages of 100: a short, common text matches much of the league, and its later pages are not
     * read. The requests are the pages read.
     */
    @Override
    public PlayerSearch search(String name) {
        if (!capabilities.contains(Capability.NAME_SEARCH)) {
            throw new UnsupportedOperationException("name search is switched off for this client");
        }
        Paged<Player> found = pages(
                "/nfl/v1/players?search=" + encode(name),
                Wire.PlayerJson.class,
                Wire.PlayerJson::toPlayer,
                Math.min(MAX_SEARCH_PAGES, settings.maxPages()));
        return new PlayerSearch(found.items(), found.requests());
    }

    @Override
    public Optional<PlayerStats> seasonStats(String playerId, Season season) {
        return Optional.ofNullable(seasonStats(List.of(playerId), season).get(playerId));
    }

    @Override
    public Map<String, PlayerStats> seasonStats(Collection<String> playerIds, Season season) {
        if (playerIds.isEmpty()) {
            return Map.of();
        }
        String ids = playerIds.stream().map(id -> "player_ids[]=" + encode(id)).collect(Collectors.joining("&"));
        Map<String, PlayerStats> byPlayer = new HashMap<>();
        String path = "/nfl/v1/season_stats?season=" + season.year() + "&" + ids;
        for (PlayerStats stats : pages(path, Wire.StatsJson.class, line -> line.toStats(season), settings.maxPages())
                .items()) {
            if (playerIds.contains(stats.playerId())) {
                byPlayer.put(stats.playerId(), stats);
            }
        }
        return byPlayer;
    }

    /** The budget every attempt takes its permit from: the one given to the builder, else the client's own. */
    public UpstreamBudget budget() {
        return settings.budget();
    }

    /** Whether the circuit breaker lets requests through now (false while it is open). */
    public boolean isAcceptingRequests() {
        return guard.circuitClosed();
    }

    /** The Resilience4j registries of this client's guards, for {@link ClientMetrics}. */
    Guard.Registries resilienceRegistries() {
        return guard.registries();
    }

    /** Whether a {@code Retry-After} the provider sent is still running (for tests). */
    boolean isKeepingQuiet() {
        return guard.quiet();
    }

    /** The items of the pages read of a list, and the requests it took (one a page). */
    private record Paged<R>(List<R> items, int requests) {}

    /** The pages of a cursor-paginated list, at most {@code maxPages}, one guarded request per page, each item mapped. */
    private <T, R> Paged<R> pages(String pathAndQuery, Class<T> element, Function<T, R> map, int maxPages) {
        List<R> all = new ArrayList<>();
        Integer cursor = null;
        int pages = 0;
        do {
            String page =
                    pathAndQuery + "&per_page=" + settings.perPage() + (cursor == null ? "" : "&cursor=" + cursor);
            Wire.Page<R> answer = fetchPage(
                    page,
                    element,
                    body -> new Wire.Page<>(body.items().stream().map(map).toList(), body.meta()));
            all.addAll(answer.items());
            Integer next = answer.nextCursor();
            if (next != null && next.equals(cursor)) {
                throw new UpstreamException.BadResponse("GET " + page, "the cursor did not move");
            }
            cursor = next;
        } while (++pages < maxPages && cursor != null);
        return new Paged<>(all, pages);
    }

    /** One guarded GET of a {@code {"data": [...]}} answer, read (and checked) by {@code read}. */
    private <T, R> R fetchPage(String pathAndQuery, Class<T> element, Function<Wire.Page<T>, R> read) {
        JavaType type = gateway.type(Wire.Page.class, element);
        return guard.call("GET " + pathAndQuery, () -> gateway.get(pathAndQuery, type, read));
    }

    /** The base URL and the plan; never the key. */
    @Override
    public String toString() {
        BudgetPlan plan = settings.budget().plan();
        return "BalldontlieClient{" + baseUrl + ", " + plan.requests() + " requests per " + plan.period() + "}";
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Every tunable of the client; see the builder's setters for meanings and defaults. */
    record Settings(
            UpstreamBudget budget,
            Duration maxWaitForPermit,
            Duration connectTimeout,
            Duration requestTimeout,
            int maxAttempts,
            Duration retryBackoff,
            Duration maxRetryWait,
            Duration maxRetryAfter,
            long maxBodyBytes,
            int circuitWindow,
            int circuitMinimumCalls,
            Duration circuitOpenFor,
            int maxConcurrentRequests,
            int perPage,
            int maxPages,
            InstantSource clock) {}

    /** Builds a {@link BalldontlieClient}; every setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        /** The largest body a byte array can hold. */
        private static final long LARGEST_BODY = Integer.MAX_VALUE - 8;

        private final URI baseUrl;
        private final ApiKey apiKey;
        private int requestsPerMinute = 60;
        private UpstreamBudget budget;
        private Duration maxWaitForPermit = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private int maxAttempts = 3;
        private Duration retryBackoff = Duration.ofMillis(200);
        private Duration maxRetryWait = Duration.ofSeconds(10);
        private Duration maxRetryAfter = Duration.ofMinutes(5);
        private long maxBodyBytes = 8L * 1024 * 1024;
        private int circuitWindow = 20;
        private int circuitMinimumCalls = 10;
        private Duration circuitOpenFor = Duration.ofSeconds(30);
        private int maxConcurrentRequests = 16;
        private boolean nameSearch = true;
        private boolean batchStats = true;
        private InstantSource clock = InstantSource.system();

        private Builder(URI baseUrl, String apiKey) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("baseUrl must be http or https, was " + baseUrl);
            }
            this.apiKey = ApiKey.of(apiKey);
            this.baseUrl = baseUrl;
        }

        /**
         * The plan's limit, when no {@link #budget} is given: the client then keeps a budget of its own,
         * in this process, of {@link BudgetPlan#perMinute} this many (a burst of a tenth, half of it
         * kept for users, a sixtieth left unused). Right for one server alone on the key; servers
         * sharing a key must share a budget. At least 2. Default 60 (ALL-STAR).
         */
        public Builder requestsPerMinute(int limit) {
            if (limit < 2) {
                throw new IllegalArgumentException("requestsPerMinute must be at least 2, was " + limit);
            }
            this.requestsPerMinute = limit;
            return this;
        }

        /**
         * The budget that every attempt takes a permit from, instead of one of the client's own: one
         * shared by every server using the API key (such as a Redis port's {@code upstreamBudget}), so
         * that together they stay within the plan. The client does not close it. Default none: a
         * budget in this process of {@link #requestsPerMinute}.
         */
        public Builder budget(UpstreamBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * The longest a user's request waits for a bulkhead slot, and then again for a budget permit
         * (background requests never wait for a budget permit). Default 5 s.
         */
        public Builder maxWaitForPermit(Duration wait) {
            this.maxWaitForPermit = Arguments.notNegative("maxWaitForPermit", wait);
            return this;
        }

        /** The longest a new connection may take to open (within the request's deadline). Default 2 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Arguments.positive("connectTimeout", timeout);
            return this;
        }

        /**
         * The deadline of one attempt's whole exchange: connecting, sending, the headers and the whole
         * body. Past it the exchange is cancelled, its connection closed and the attempt fails as
         * {@link UpstreamException.Unavailable} ("no complete answer within 5 s"), retried like any
         * unavailability; a body that drips or never ends holds the calling thread no longer than
         * this. Default 5 s.
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Arguments.positive("requestTimeout", timeout);
            return this;
        }

        /** Attempts per request, the first included; 1 turns retries off. Default 3. */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = Arguments.positive("maxAttempts", attempts);
            return this;
        }

        /** The first retry's backoff, doubled each time, with jitter. Default 200 ms. */
        public Builder retryBackoff(Duration backoff) {
            this.retryBackoff = Arguments.positive("retryBackoff", backoff);
            return this;
        }

        /**
         * The longest {@code Retry-After} the client waits out within a call; asked to wait longer, it
         * fails at once (so that a cache can serve stale data). Default 10 s.
         */
        public Builder maxRetryWait(Duration wait) {
            this.maxRetryWait = Arguments.notNegative("maxRetryWait", wait);
            return this;
        }

        /**
         * The longest quiet a 429's {@code Retry-After} can impose on this client. A longer wait or a
         * later date (say {@code 86400}, or a number of any size) counts as this cap; a negative or
         * unreadable value is ignored, as if the 429 had none. Default 5 min.
         */
        public Builder maxRetryAfter(Duration cap) {
            this.maxRetryAfter = Arguments.positive("maxRetryAfter", cap);
            return this;
        }

        /**
         * The largest body the client reads. A larger one is dropped as soon as it passes the limit
         * (the connection is closed) and fails as {@link UpstreamException.BadResponse}, not retried:
         * it would be as large again. At most {@code Integer.MAX_VALUE - 8}. Default 8 MiB.
         */
        public Builder maxBodyBytes(long limit) {
            Arguments.positive("maxBodyBytes", limit);
            if (limit > LARGEST_BODY) {
                throw new IllegalArgumentException("maxBodyBytes must be at most " + LARGEST_BODY + ", was " + limit);
            }
            this.maxBodyBytes = limit;
            return this;
        }

        /**
         * The circuit opens when half of the last {@code window} requests (at least {@code
         * minimumCalls} of them) failed for unavailability, and stays open for {@code openFor}.
         * Defaults 20, 10, 30 s.
         */
        public Builder circuitBreaker(int window, int minimumCalls, Duration openFor) {
            this.circuitWindow = Arguments.positive("circuit window", window);
            this.circuitMinimumCalls = Arguments.positive("circuit minimumCalls", minimumCalls);
            this.circuitOpenFor = Arguments.positive("circuit openFor", openFor);
            return this;
        }

        /** Requests in flight at once. Default 16. */
        public Builder maxConcurrentRequests(int limit) {
            this.maxConcurrentRequests = Arguments.positive("maxConcurrentRequests", limit);
            return this;
        }

        /** Whether the plan has name search; without it players are found by roster scans. Default on. */
        public Builder nameSearch(boolean enabled) {
            this.nameSearch = enabled;
            return this;
        }

        /** Whether several players' stats are fetched in one request. Default on. */
        public Builder batchStats(boolean enabled) {
            this.batchStats = enabled;
            return this;
        }

        /**
         * The clock by which the circuit breaker times its open state and an HTTP-date {@code
         * Retry-After} is read. Default the system clock.
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The client. */
        public BalldontlieClient build() {
            return new BalldontlieClient(this);
        }

        Settings settings() {
            return new Settings(
                    budget != null ? budget : BucketPermits.inProcessBudget(BudgetPlan.perMinute(requestsPerMinute)),
                    maxWaitForPermit,
                    connectTimeout,
                    requestTimeout,
                    maxAttempts,
                    retryBackoff,
                    maxRetryWait,
                    maxRetryAfter,
                    maxBodyBytes,
                    circuitWindow,
                    circuitMinimumCalls,
                    circuitOpenFor,
                    maxConcurrentRequests,
                    100,
                    50,
                    clock);
        }
    }
}
