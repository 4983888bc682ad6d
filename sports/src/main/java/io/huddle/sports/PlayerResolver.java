package io.huddle.sports;

import io.huddle.core.SharedCache;
import io.huddle.core.api.Loaded;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns a player's name into the player, through the cache.
 *
 * <p>Names are normalised first ({@link PlayerNames}), so every spelling shares one cache entry.
 * With a provider that searches by name, one search finds the player. Without, the resolver scans
 * the season's rosters: each roster fetched is cached, and the scan indexes every player on every
 * roster, so one scan warms the whole league and later names cost nothing. Callers asking for the
 * same name at once share one lookup (the engine's single flight); names nobody has are cached as
 * not found, so typos cannot burn the upstream budget.
 *
 * <p>Only players on a team count: a retired player is reported as not on an active roster. Two
 * active players with one name are reported as ambiguous, never guessed. Thread-safe.
 */
public final class PlayerResolver {
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
     * The one active player with this name.
     *
     * @throws PlayerLookupException.InvalidName before any call, for an empty, overlong or odd name
     * @throws PlayerLookupException.NotFound if no active player has the name
     * @throws PlayerLookupException.Ambiguous if several do
     */
    public Player resolve(String name) {
        List<Player> active = candidates(name);
        if (active.size() > 1) {
            throw new PlayerLookupException.Ambiguous(name, active);
        }
        return active.get(0);
    }

    /**
     * Every active player with this name: one, or several when the name is ambiguous.
     *
     * @throws PlayerLookupException.InvalidName before any call, for an empty, overlong or odd name
     * @throws PlayerLookupException.NotFound if no active player has the name
     */
    public List<Player> candidates(String name) {
        String key = PlayerNames.normalise(name);
        Optional<PlayerMatches> matches = cache.get(SportsKinds.PLAYER_ID, key, this::lookUp);
        List<Player> active = matches.map(PlayerMatches::players).orElse(List.of()).stream()
                .filter(player -> player.teamId() != null)
                .toList();
        if (active.isEmpty()) {
            String why = matches.isPresent()
                    ? "'" + name + "' is not on an active roster"
                    : "no player named '" + name + "' is on an active " + season + " roster";
            throw new PlayerLookupException.NotFound(name, why);
        }
        return active;
    }

    private Loaded<PlayerMatches> lookUp(String key) {
        return upstream.capabilities().contains(SportsDataPort.Capability.NAME_SEARCH) ? search(key) : scan(key);
    }

    /** One search by the last word of the name, keeping the players whose whole name matches. */
    private Loaded<PlayerMatches> search(String key) {
        String lastWord = key.substring(key.lastIndexOf(' ') + 1);
        List<Player> matching = upstream.searchPlayers(lastWord).stream()
                .filter(player -> PlayerNames.normalise(player.fullName()).equals(key))
                .toList();
        return matching.isEmpty() ? Loaded.notFound(1) : Loaded.of(new PlayerMatches(matching), 1);
    }

    /**
     * Reads every roster of the season through the cache and indexes every player on them. The
     * upstream calls are made, and counted, by the team and roster loads; the index itself makes
     * none, but the name asked for is worth the calls this scan made (a later request for it saves
     * them), while the other names it indexes came free.
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
                index.merge(PlayerNames.normalise(player.fullName()), List.of(player), PlayerResolver::concat);
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
                return Loaded.of(upstream.roster(teamId, season));
            } catch (UpstreamException.NotFound unknownTeam) {
                return Loaded.notFound();
            }
        });
    }

    private static List<Player> concat(List<Player> a, List<Player> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
