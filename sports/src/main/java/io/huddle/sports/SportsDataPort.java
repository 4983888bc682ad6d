package io.huddle.sports;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The upstream SPI: one method per logical request to a sports data provider. The services count
 * one upstream call per method call; the provider's own counters are the exact measure.
 *
 * <p>What a provider cannot do is a {@link Capability}; calling a method the provider lacks throws
 * {@link UnsupportedOperationException}. Every other failure is an {@link UpstreamException}
 * subclass: rate limited, unavailable, bad response, not found, unauthorised, bad request. No
 * transport or resilience library type crosses this port. Implementations are thread-safe.
 */
public interface SportsDataPort {

    /** What a provider can do beyond the basic requests. */
    enum Capability {
        /** {@link #searchPlayers} works; without it, players are found by scanning rosters. */
        NAME_SEARCH,
        /** {@link #seasonStats(Collection, Season)} fetches many players in one request. */
        BATCH_STATS
    }

    /** What this provider can do. */
    Set<Capability> capabilities();

    /** Every team of the league. */
    List<Team> teams();

    /**
     * The team's roster for the season.
     *
     * @throws UpstreamException.NotFound if the provider has no such team
     */
    Roster roster(String teamId, Season season);

    /**
     * Players whose names match the text, active or not.
     *
     * @throws UnsupportedOperationException without {@link Capability#NAME_SEARCH}
     */
    List<Player> searchPlayers(String name);

    /**
     * The same search as {@link #searchPlayers}, with the upstream requests it made: a provider that
     * pages its answers makes one per page read. The resolver counts these, so a search of three
     * pages is three upstream calls in the cache's statistics. The default makes one {@link
     * #searchPlayers} call and counts it as one request.
     *
     * @throws UnsupportedOperationException without {@link Capability#NAME_SEARCH}
     */
    default PlayerSearch search(String name) {
        return new PlayerSearch(searchPlayers(name), 1);
    }

    /** The player's statistics for the season, or empty if he has none. */
    Optional<PlayerStats> seasonStats(String playerId, Season season);

    /**
     * Statistics of several players for the season, by player id; players without statistics are
     * absent. Without {@link Capability#BATCH_STATS} a provider may answer with one request per
     * player.
     */
    Map<String, PlayerStats> seasonStats(Collection<String> playerIds, Season season);
}
