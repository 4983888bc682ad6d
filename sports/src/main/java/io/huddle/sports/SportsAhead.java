package io.huddle.sports;

import io.huddle.core.ahead.AheadTarget;
import io.huddle.core.ahead.LoadAhead;
import io.huddle.core.ahead.RelatedKeys;
import io.huddle.core.ahead.TopKeys;
import io.huddle.core.api.AheadResult;
import io.huddle.core.api.Loader;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Warming and predictive prefetch for the chatbot: the players' season statistics loaded before
 * users ask and refreshed before they expire, and the players users are likely to ask next
 * prefetched, at background priority only (see {@link LoadAhead}). Keys are normalised player names
 * ({@link PlayerNames#normalise}); each is resolved through the resolver's cached lookups, then its
 * statistics loaded with the service's own loader.
 *
 * <p>Built over a {@link SportsStatsService}, it is attached to it: the requests the service serves
 * ({@code seasonStats}, {@code compare}, with a session id where the caller has one) feed the sketch
 * of most requested players and the learnt relation. Defaults: the seed's six popular players
 * ({@link #POPULAR_PLAYERS}) and related players ({@link #RELATED_PLAYERS}); the {@value
 * #MOST_REQUESTED} most requested players of the last one to two ttls of their statistics warmed; a
 * player's teammates at his position prefetched with the learnt and seed relation's three most
 * related players ({@link Builder#teammates}); and {@link LoadAhead}'s other defaults. A name no
 * single player has is skipped ({@link AheadResult#NOTHING_TO_LOAD}). Switch either off for a kind
 * with its policy ({@code CachePolicy.warming}, {@code prefetching}). Thread-safe.
 */
public final class SportsAhead implements AutoCloseable {
    /** The seed's popular players, warmed whether asked for or not. */
    public static final List<String> POPULAR_PLAYERS =
            List.of("Patrick Mahomes", "Josh Allen", "Justin Jefferson", "Micah Parsons", "T.J. Watt", "Aaron Donald");

    /** The seed's related players: asked about the first, users often ask about the others next. */
    public static final Map<String, List<String>> RELATED_PLAYERS =
            Map.of("Micah Parsons", List.of("T.J. Watt", "Aaron Donald", "Myles Garrett"));

    /**
     * The most requested players each warming pass keeps fresh, counted in windows as long as their
     * statistics' ttl (the current one and the one before): a player asked for in the last one to two
     * ttls, up to this many, is refreshed before his statistics expire, with the permits users leave.
     */
    public static final int MOST_REQUESTED = 512;

    private final SportsStatsService service;
    private final LoadAhead<String> ahead;

    private SportsAhead(Builder builder) {
        this.service = builder.service;
        Map<String, List<String>> seed = new LinkedHashMap<>();
        builder.related.forEach((name, names) -> seed.put(
                PlayerNames.normalise(name),
                names.stream().map(PlayerNames::normalise).toList()));
        Duration window = service.cache().policy(SportsKinds.PLAYER_STATS).ttl();
        LoadAhead.Builder<String> config = LoadAhead.builder(new Target(service))
                .clock(builder.clock)
                .popular(builder.popular.stream().map(PlayerNames::normalise).toList())
                .topCount(MOST_REQUESTED)
                .topKeys(new TopKeys<>(MOST_REQUESTED * 8, window, builder.clock))
                .related(RelatedKeys.<String>builder(builder.clock).seed(seed).build());
        if (builder.teammates) {
            config.neighbours(new Teammates(service));
        }
        if (builder.executor != null) {
            config.executor(builder.executor);
        }
        this.ahead = builder.tuning.apply(config).build();
        service.reportTo(ahead);
    }

    /** A builder over the service, with the seed's defaults. */
    public static Builder builder(SportsStatsService service) {
        return new Builder(service);
    }

    /** Starts warming: a pass at once, then every few seconds. Prefetch runs from the first request. */
    public void start() {
        ahead.start();
    }

    /** One warming pass on this thread (at background priority): what each key's warm did. */
    public Map<AheadResult, Integer> runOnce() {
        return ahead.runOnce();
    }

    /** What warming and prefetch did; the loads are counted in each kind's statistics. */
    public LoadAhead.Counts counts() {
        return ahead.counts();
    }

    /** Stops warming and prefetch, and the service's reporting to them. Idempotent. */
    @Override
    public void close() {
        service.reportTo(null);
        ahead.close();
    }

    /** A player's name to his statistics of the current season, warmed or prefetched. */
    private record Target(SportsStatsService service) implements AheadTarget<String> {
        @Override
        public AheadResult warm(String name, double refreshAhead) {
            if (!service.cache().policy(SportsKinds.PLAYER_STATS).warming()) {
                // switched off: not even the name is looked up ahead
                return AheadResult.SWITCHED_OFF;
            }
            return statsOf(
                    name, (id, loader) -> service.cache().warm(SportsKinds.PLAYER_STATS, id, refreshAhead, loader));
        }

        @Override
        public AheadResult prefetch(String name) {
            if (!service.cache().policy(SportsKinds.PLAYER_STATS).prefetching()) {
                return AheadResult.SWITCHED_OFF;
            }
            return statsOf(name, (id, loader) -> service.cache().prefetch(SportsKinds.PLAYER_STATS, id, loader));
        }

        /**
         * Hands the current season's statistics key and loader of the one player of the name, looked
         * up through the cache, to {@code ahead}; nothing to load if none or several have the name
         * (users asking it get that answer, and nothing can be loaded ahead for them).
         */
        private AheadResult statsOf(String name, BiFunction<String, Loader<PlayerStats>, AheadResult> ahead) {
            Player player;
            try {
                player = service.findPlayer(name);
            } catch (PlayerLookupException.NotFound | PlayerLookupException.Ambiguous nothing) {
                return AheadResult.NOTHING_TO_LOAD;
            }
            Season season = service.currentSeason();
            return ahead.apply(SportsKinds.statsKey(player.id(), season), service.statsLoader(player, season));
        }
    }

    /**
     * A player's teammates at his position, by normalised name, in roster order: the player found
     * and his team's roster read through the cache (a roster not cached is loaded, at the caller's
     * background priority); none for a player without a team.
     */
    private record Teammates(SportsStatsService service) implements Function<String, List<String>> {
        @Override
        public List<String> apply(String name) {
            Player player = service.findPlayer(name);
            if (player.teamId() == null) {
                return List.of();
            }
            return service.roster(player.teamId(), service.currentSeason())
                    .map(roster -> roster.players().stream()
                            .filter(mate -> !mate.id().equals(player.id())
                                    && mate.position().equals(player.position()))
                            .map(mate -> PlayerNames.normalise(mate.fullName()))
                            .toList())
                    .orElse(List.of());
        }
    }

    /** Builds a {@link SportsAhead}. Not thread-safe. */
    public static final class Builder {
        private final SportsStatsService service;
        private InstantSource clock = InstantSource.system();
        private List<String> popular = POPULAR_PLAYERS;
        private Map<String, List<String>> related = RELATED_PLAYERS;
        private boolean teammates = true;
        private Executor executor;
        private UnaryOperator<LoadAhead.Builder<String>> tuning = UnaryOperator.identity();

        private Builder(SportsStatsService service) {
            this.service = Objects.requireNonNull(service, "service");
        }

        /** The clock of the sketch and the relation; the engine's, in tests a {@code ManualClock}. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The players every warming pass warms, by name; empty for none. */
        public Builder popular(List<String> names) {
            this.popular = List.copyOf(names);
            return this;
        }

        /** The seed relation by name: who is asked about after whom. */
        public Builder related(Map<String, List<String>> names) {
            this.related = Map.copyOf(names);
            return this;
        }

        /**
         * Whether a player's teammates at his position are prefetched too, the most requested first
         * (default on): users who ask about a player often ask about those next, before any session
         * has shown it.
         */
        public Builder teammates(boolean on) {
            this.teammates = on;
            return this;
        }

        /** Where prefetch rounds run (see {@link LoadAhead.Builder#executor}); {@code Runnable::run} in tests. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Any other setting of the {@link LoadAhead} (period, refresh-ahead, counts), applied last. */
        public Builder tuning(UnaryOperator<LoadAhead.Builder<String>> tuning) {
            this.tuning = Objects.requireNonNull(tuning, "tuning");
            return this;
        }

        /** Builds it and attaches it to the service; not started. */
        public SportsAhead build() {
            return new SportsAhead(this);
        }
    }
}
