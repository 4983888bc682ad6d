package io.huddle.sports;

import io.huddle.core.api.DataKind;
import java.util.List;

/**
 * The kinds of sports data in the cache, with their keys and default policies (see {@link
 * SportsPolicies}).
 */
public final class SportsKinds {
    /** Every team: key {@code NFL}. */
    public static final DataKind<TeamList> TEAMS = DataKind.of("teams", TeamList.class, SportsPolicies.TEAM_LIST);

    /** A team's roster: key {@code KC:2024}. */
    public static final DataKind<Roster> ROSTER = DataKind.of("roster", Roster.class, SportsPolicies.ROSTER);

    /**
     * The players, active or retired, of a normalised full name or surname: key {@code patrick
     * mahomes}, {@code watt}.
     */
    public static final DataKind<PlayerMatches> PLAYER_ID =
            DataKind.of("player-id", PlayerMatches.class, SportsPolicies.PLAYER_ID);

    /**
     * What a name search of the provider found, by its search term, the last word of a normalised
     * name: key {@code mahomes}. Every name ending in that word shares the one search.
     */
    public static final DataKind<PlayerSearch> PLAYER_SEARCH =
            DataKind.of("player-search", PlayerSearch.class, SportsPolicies.PLAYER_SEARCH);

    /** A player's season statistics: key {@code <player id>:2024}. */
    public static final DataKind<PlayerStats> PLAYER_STATS =
            DataKind.of("stats", PlayerStats.class, SportsPolicies.PLAYER_STATS);

    /** Every kind above, for a binder of metrics or a clean-up that must miss none. */
    public static final List<DataKind<?>> ALL = List.of(TEAMS, ROSTER, PLAYER_ID, PLAYER_SEARCH, PLAYER_STATS);

    private SportsKinds() {}

    /** The key of a roster. */
    static String rosterKey(String teamId, Season season) {
        return teamId + ":" + season.year();
    }

    /** The key of a player's season statistics. */
    static String statsKey(String playerId, Season season) {
        return playerId + ":" + season.year();
    }
}
