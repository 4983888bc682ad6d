package io.huddle.sports;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.Loaded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a player's name into the player, through the cache.
 *
 * <p>Names are normalised first ({@link PlayerNames}), so every spelling shares one cache entry;
 * a name that cannot be a player's is refused before any upstream call. A name is a full name
 * ({@code Patrick Mahomes}) or a surname alone ({@code Watt}); every player the provider lists
 * under it counts, active or retired, and several are reported as ambiguous, never guessed.
 *
 * <p>With a provider that searches by name, the provider is searched by the last word of the name,
 * and the search's results are cached by that word ({@link SportsKinds#PLAYER_SEARCH}): every name
 * ending in it shares the one search. The search counts the requests it really made (one per page
 * read). Without name search, the resolver scans the season's rosters: each roster fetched is
 * cached, and the scan indexes every player on every roster by full name and by surname, so one
 * scan warms the whole league and later names cost nothing; a retired player, on no roster, is
 * then not found. Callers asking for the same name at once share one lookup (the engine's single
 * flight); names nobody has are cached as not found, so typos cannot burn the upstream budget.
 *
 * <p>Provider data is read leniently: a player whose name the provider sent oddly (control
 * characters, longer than {@value PlayerNames#MAX_LENGTH} characters) is kept wherever the provider
 * listed him, read with its odd characters as word breaks, and is only not findable under a name no
 * user could ask for; the roster or search load that meets such players logs them once (a warning
 * with their ids). Thread-safe.
 */
public final class PlayerResolver {
    private static final Logger LOG = LoggerFactory.getLogger(PlayerResolver.class);
    private static final String LEAGUE = "NFL";

    private final SharedCache cache;
    private final SportsDataPort upstream;
    private final Season season;

    /**
     * @param cache the engine
     * @param upstream the provider
     * @param season the season whose rosters are scanned when the provider cannot search
     */
    public PlayerResolver(SharedCache cache, SportsDataPort upstream, Season season) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.season = Objects.requireNonNull(season, "season");
    }

    /**
     * The one player with this name or surname, active or retired.
     *
     * @throws PlayerLookupException.InvalidName before any call, for a name that cannot be a
     *     player's (see {@link PlayerNames#normalise})
     * @throws PlayerLookupException.NotFound if no player has the name
     * @throws PlayerLookupException.Ambiguous if several do; it lists them
     */
    public Player resolve(String name) {
        List<Player> players = candidates(name);
        if (players.size() > 1) {
            throw new PlayerLookupException.Ambiguous(name, players);
        }
        return players.get(0);
    }

    /**
     * Every player with this name or surname, active or retired: one, or several when the name is
     * ambiguous.
     *
     * @throws PlayerLookupException.InvalidName before any call, for a name that cannot be a
     *     player's (see {@link PlayerNames#normalise})
     * @throws PlayerLookupException.NotFound if no player has the name
     */
    public List<Player> candidates(String name) {
        String key = PlayerNames.normalise(name);
        boolean searching = searches();
        return cache.get(SportsKinds.PLAYER_ID, key, id -> searching ? search(id) : scan(id))
                .map(PlayerMatches::players)
                .orElseThrow(() -> new PlayerLookupException.NotFound(
                        name,
                        searching
                                ? "no player named '" + name + "' is known to the provider"
                                : "no player named '" + name + "' is on an active " + season + " roster"));
    }

    private boolean searches() {
        return upstream.capabilities().contains(SportsDataPort.Capability.NAME_SEARCH);
    }

    /**
     * The players of the search by the name's last word whose full name or surname is the name. The
     * search is cached by its term and counts its own requests; this entry is derived from it, and
     * worth the requests this lookup made it do (none when another name had already searched it).
     */
    private Loaded<PlayerMatches> search(String key) {
        AtomicInteger calls = new AtomicInteger();
        List<Player> found;
        try {
            found = cache.get(SportsKinds.PLAYER_SEARCH, PlayerNames.searchTerm(key), term -> {
                        PlayerSearch search = upstream.search(term);
                        calls.addAndGet(search.requests());
                        logUnfindable(search.players(), "the search for '" + term + "'");
                        return search.players().isEmpty()
                                ? Loaded.notFound(search.requests())
                                : Loaded.of(search, search.requests());
                    })
                    .map(PlayerSearch::players)
                    .orElse(List.of());
        } catch (CacheLoadException failedSearch) {
            if (failedSearch.getCause() instanceof UpstreamException upstreamFailure) {
                // the name's load fails for the search's reason, so its error has the upstream's as cause
                throw upstreamFailure;
            }
            throw failedSearch;
        }
        List<Player> matching = found.stream()
                .filter(player -> PlayerNames.providerKey(player.fullName())
                                .filter(key::equals)
                                .isPresent()
                        || PlayerNames.surnameKey(player.lastName())
                                .filter(key::equals)
                                .isPresent())
                .toList();
        return matching.isEmpty()
                ? Loaded.derivedNotFound(calls.get())
                : Loaded.derived(new PlayerMatches(matching), calls.get());
    }

    /**
     * Reads every roster of the season through the cache and indexes every player on them, by full
     * name and by surname. The upstream calls are made, and counted, by the team and roster loads;
     * the index itself makes none, but the name asked for is worth the calls this scan made (a later
     * request for it saves them), while the other names it indexes came free.
     */
    private Loaded<PlayerMatches> scan(String key) {
        AtomicInteger calls = new AtomicInteger();
        List<Team> teams = cache.get(SportsKinds.TEAMS, LEAGUE, id -> {
                    calls.incrementAndGet();
                    return Loaded.of(new TeamList(upstream.teams()));
                })
                .map(TeamList::teams)
                .orElse(List.of());
        Map<String, List<Player>> index = new HashMap<>();
        for (Team team : teams) {
            for (Player player : roster(cache, upstream, team.id(), season, calls)
                    .map(Roster::players)
                    .orElse(List.of())) {
                Optional<String> fullName = PlayerNames.providerKey(player.fullName());
                fullName.ifPresent(name ->
                        index.computeIfAbsent(name, n -> new ArrayList<>()).add(player));
                PlayerNames.surnameKey(player.lastName())
                        .filter(surname -> !fullName.equals(Optional.of(surname)))
                        .ifPresent(surname -> index.computeIfAbsent(surname, n -> new ArrayList<>())
                                .add(player));
            }
        }
        Map<String, PlayerMatches> others = new HashMap<>();
        index.forEach((name, players) -> {
            if (!name.equals(key)) {
                others.put(name, new PlayerMatches(players));
            }
        });
        cache.putAll(SportsKinds.PLAYER_ID, others, 0);
        List<Player> found = index.get(key);
        return found == null
                ? Loaded.derivedNotFound(calls.get())
                : Loaded.derived(new PlayerMatches(found), calls.get());
    }

    /**
     * Logs the players no full name a user may ask for finds, once for the load that read them (a
     * roster or a search, cached, so not again for every lookup that reads them).
     */
    private static void logUnfindable(List<Player> players, String load) {
        List<String> ids = players.stream()
                .filter(player -> PlayerNames.providerKey(player.fullName()).isEmpty())
                .map(Player::id)
                .toList();
        if (!ids.isEmpty()) {
            LOG.warn(
                    "{}: {} player(s) with a name no user can ask for (empty, or over {} characters once"
                            + " normalised), kept but not findable by full name: ids {}",
                    load,
                    ids.size(),
                    PlayerNames.MAX_LENGTH,
                    ids.size() > 10 ? ids.subList(0, 10) + "..." : ids);
        }
    }

    /** A team's roster for the resolver's season, through the cache; empty if the team is unknown. */
    Optional<Roster> roster(String teamId) {
        return roster(cache, upstream, teamId, season, new AtomicInteger());
    }

    /** A team's roster through the cache; adds to {@code calls} the upstream call it made, if any. */
    static Optional<Roster> roster(
            SharedCache cache, SportsDataPort upstream, String teamId, Season season, AtomicInteger calls) {
        return cache.get(SportsKinds.ROSTER, SportsKinds.rosterKey(teamId, season), id -> {
            calls.incrementAndGet();
            try {
                Roster roster = upstream.roster(teamId, season);
                logUnfindable(roster.players(), "the " + teamId + " " + season + " roster");
                return Loaded.of(roster);
            } catch (UpstreamException.NotFound unknownTeam) {
                return Loaded.notFound();
            }
        });
    }
}
