package io.huddle.sim;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of the simulator's call counters, taken by {@link UpstreamSimulator#calls()}.
 *
 * <p>A <em>call</em> is any request that reached one of the {@code /nfl/v1} routes, whatever its
 * answer: answered normally, with 400/401/404, refused with 429, or faulted on purpose. Unknown paths,
 * other methods and {@code /admin} requests are not calls. The counters are read one after another,
 * so a snapshot taken while requests are in flight may be off by those requests.
 *
 * @param total every call
 * @param byRoute calls per route template, every route present (zero when never called); see the
 *     route constants of this class
 * @param rateLimited calls refused with 429 by the rate limit (included in {@code total}; a
 *     scripted {@code rateLimitNext} 429 is a fault, not counted here)
 * @param faults calls answered with a scripted or random fault: 5xx, 429, hang, malformed, dripping,
 *     endless or huge body (included in {@code total})
 * @param maxAcceptedInAnyMinute the most requests one key had accepted (not refused with 429) within
 *     any sliding window of the rate limit (60 seconds unless the simulator was built with another),
 *     by the simulator's clock; stays at or below the rate limit
 */
public record UpstreamCalls(
        long total, Map<String, Long> byRoute, long rateLimited, long faults, int maxAcceptedInAnyMinute) {

    /** The team list route. */
    public static final String TEAMS = "GET /nfl/v1/teams";
    /** One team. */
    public static final String TEAM = "GET /nfl/v1/teams/{id}";
    /** One team's roster. */
    public static final String ROSTER = "GET /nfl/v1/teams/{id}/roster";
    /** The player list and name search. */
    public static final String PLAYERS = "GET /nfl/v1/players";
    /** One player. */
    public static final String PLAYER = "GET /nfl/v1/players/{id}";
    /** Season stats of one or several players. */
    public static final String SEASON_STATS = "GET /nfl/v1/season_stats";

    /** Copies {@code byRoute} into an unmodifiable map ordered by route. */
    public UpstreamCalls {
        byRoute = Collections.unmodifiableMap(new TreeMap<>(byRoute));
    }

    /** Calls of one route template (for example {@link #ROSTER}); zero for an unknown template. */
    public long route(String template) {
        return byRoute.getOrDefault(template, 0L);
    }

    /** Calls the rate limit did not refuse (a scripted {@code rateLimitNext} 429 passed the limit). */
    public long accepted() {
        return total - rateLimited;
    }
}
