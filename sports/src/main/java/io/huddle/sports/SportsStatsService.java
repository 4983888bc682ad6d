package io.huddle.sports;

import io.huddle.core.SharedCache;
import io.huddle.core.ahead.LoadAhead;
import io.huddle.core.api.BulkLoaded;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sports bot calls: teams, rosters, players by name, season statistics and comparisons, all
 * through the shared cache, so that every user of every server shares each upstream call.
 *
 * <p>A player is named by his full name or his surname alone, in any spelling {@link PlayerNames}
 * accepts; retired players the provider still lists count (see {@link PlayerResolver}).
 *
 * <p>Errors a bot can show as they are: {@link PlayerLookupException} (bad, unknown or ambiguous
 * names) and {@link IllegalArgumentException} (a malformed team id), both raised before any upstream
 * call where the input alone is wrong. When the upstream fails and no stale value may stand in, the
 * engine's {@link io.huddle.core.api.CacheLoadException} names what could not be loaded, with the
 * {@link UpstreamException} as its cause. Thread-safe.
 */
public final class SportsStatsService {
    private static final Logger LOG = LoggerFactory.getLogger(SportsStatsService.class);
    private static final Pattern TEAM_ID = Pattern.compile("[A-Z]{2,3}");

    private final SharedCache cache;
    private final SportsDataPort upstream;
    private final PlayerResolver resolver;
    private final Season currentSeason;
    /** Where the requests served are reported, for warming and prefetch; none until one is attached. */
    private volatile LoadAhead<String> ahead;

    /**
     * @param cache the engine
     * @param upstream the provider
     * @param currentSeason the season whose rosters say who is active
     */
    public SportsStatsService(SharedCache cache, SportsDataPort upstream, Season currentSeason) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.currentSeason = Objects.requireNonNull(currentSeason, "currentSeason");
        this.resolver = new PlayerResolver(cache, upstream, currentSeason);
    }

    /** Every team of the league. */
    public List<Team> teams() {
        return cache.get(SportsKinds.TEAMS, "NFL", id -> Loaded.of(new TeamList(upstream.teams())))
                .map(TeamList::teams)
                .orElse(List.of());
    }

    /**
     * A team's roster for a season, or empty if the provider has no such team.
     *
     * @param teamId the abbreviation, any case ({@code kc} or {@code KC})
     * @throws IllegalArgumentException if the id is not 2 or 3 letters
     */
    public Optional<Roster> roster(String teamId, Season season) {
        String id = teamId == null ? "" : teamId.strip().toUpperCase(Locale.ROOT);
        if (!TEAM_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a team id is 2 or 3 letters such as KC, was '" + teamId + "'");
        }
        return PlayerResolver.roster(cache, upstream, id, season, new AtomicInteger());
    }

    /** The one player, active or retired, with this name or surname; see {@link PlayerResolver#resolve}. */
    public Player findPlayer(String name) {
        return resolver.resolve(name);
    }

    /** Every player with this name or surname; see {@link PlayerResolver#candidates}. */
    public List<Player> findPlayers(String name) {
        return resolver.candidates(name);
    }

    /**
     * The named player's statistics for the season, or empty if he has none (a retired player has
     * none for seasons after he retired, but his past seasons' are answered).
     */
    public Optional<PlayerStats> seasonStats(String name, Season season) {
        return statsOf(resolver.resolve(name), season);
    }

    /** A player's statistics for the season, or empty if he has none: for a player already found. */
    public Optional<PlayerStats> seasonStats(Player player, Season season) {
        return statsOf(Objects.requireNonNull(player, "player"), Objects.requireNonNull(season, "season"));
    }

    /**
     * A player already found: his statistics for the season, asked in a user's session (or null), and
     * reported to the attached {@link SportsAhead} under his full name.
     */
    public Optional<PlayerStats> seasonStats(Player player, Season season, String session) {
        Optional<PlayerStats> stats = seasonStats(player, season);
        report(ahead -> ahead.requested(PlayerNames.normalise(player.fullName()), session));
        return stats;
    }

    /** The named player's statistics for the current season, asked in a user's session (or null). */
    public Optional<PlayerStats> seasonStats(String name, String session) {
        return seasonStats(name, currentSeason, session);
    }

    /**
     * The named player's statistics for the season, asked in a user's session (any id the caller
     * keeps per conversation, or null): as {@link #seasonStats(String, Season)}, and the request is
     * reported to the attached {@link SportsAhead}, which learns what the session asks next.
     */
    public Optional<PlayerStats> seasonStats(String name, Season season, String session) {
        Optional<PlayerStats> stats = seasonStats(name, season);
        report(ahead -> ahead.requested(PlayerNames.normalise(name), session));
        return stats;
    }

    private Optional<PlayerStats> statsOf(Player player, Season season) {
        return cache.get(
                SportsKinds.PLAYER_STATS, SportsKinds.statsKey(player.id(), season), statsLoader(player, season));
    }

    /** The one loader of a player's season statistics, for users, warming and prefetch alike. */
    Loader<PlayerStats> statsLoader(Player player, Season season) {
        return id -> upstream.seasonStats(player.id(), season).map(Loaded::of).orElseGet(Loaded::notFound);
    }

    SharedCache cache() {
        return cache;
    }

    Season currentSeason() {
        return currentSeason;
    }

    /** Reports the requests served to {@code ahead} from now on; null stops reporting. */
    void reportTo(LoadAhead<String> ahead) {
        this.ahead = ahead;
    }

    /** Reports a request served; never fails the request it reports. */
    private void report(java.util.function.Consumer<LoadAhead<String>> event) {
        LoadAhead<String> listener = ahead;
        if (listener == null) {
            return;
        }
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            LOG.debug("could not report a request for warming and prefetch: {}", e.toString());
        }
    }

    /** The named player's statistics for the current season. */
    public Optional<PlayerStats> seasonStats(String name) {
        return seasonStats(name, currentSeason);
    }

    /**
     * Two named players side by side for the season. With a provider that fetches many players'
     * statistics at once, both come in one upstream call. Two names of one player ({@code Patrick
     * Mahomes} and {@code patrick mahomes}, or {@code Mahomes}) compare him with himself: both sides
     * are that player, from one statistics load.
     */
    public Comparison compare(String firstName, String secondName, Season season) {
        Player first = resolver.resolve(firstName);
        Player second = resolver.resolve(secondName);
        List<Player> players = first.id().equals(second.id()) ? List.of(first) : List.of(first, second);
        Map<String, PlayerStats> stats;
        if (players.size() > 1 && upstream.capabilities().contains(SportsDataPort.Capability.BATCH_STATS)) {
            Map<String, String> playerIdByKey = new LinkedHashMap<>();
            players.forEach(player -> playerIdByKey.put(SportsKinds.statsKey(player.id(), season), player.id()));
            stats = cache.getAll(SportsKinds.PLAYER_STATS, List.copyOf(playerIdByKey.keySet()), keys -> {
                Map<String, PlayerStats> byPlayer = upstream.seasonStats(
                        keys.stream().map(playerIdByKey::get).toList(), season);
                Map<String, PlayerStats> byKey = new HashMap<>();
                byPlayer.forEach((playerId, line) -> byKey.put(SportsKinds.statsKey(playerId, season), line));
                return BulkLoaded.of(byKey, 1);
            });
        } else {
            stats = new HashMap<>();
            players.forEach(player -> statsOf(player, season)
                    .ifPresent(line -> stats.put(SportsKinds.statsKey(player.id(), season), line)));
        }
        return new Comparison(
                season,
                first,
                Optional.ofNullable(stats.get(SportsKinds.statsKey(first.id(), season))),
                second,
                Optional.ofNullable(stats.get(SportsKinds.statsKey(second.id(), season))));
    }

    /**
     * Two named players side by side for the season, asked in a user's session (or null): as {@link
     * #compare(String, String, Season)}, and the pair is reported to the attached {@link
     * SportsAhead}.
     */
    public Comparison compare(String firstName, String secondName, Season season, String session) {
        Comparison comparison = compare(firstName, secondName, season);
        report(ahead ->
                ahead.requestedTogether(PlayerNames.normalise(firstName), PlayerNames.normalise(secondName), session));
        return comparison;
    }

    /** Two named players side by side for the current season. */
    public Comparison compare(String firstName, String secondName) {
        return compare(firstName, secondName, currentSeason);
    }
}
