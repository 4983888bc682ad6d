package io.huddle.sports;

import io.huddle.core.api.CachePolicy;
import java.time.Duration;

/**
 * The default cache policies of the sports data kinds, from the seed's measurements: team lists and
 * player ids change rarely (24 h), rosters during the season (6 h), stats during games (1 h). Each
 * may be served stale for a while when the upstream is throttled or down, and "not found" is
 * remembered for 10 minutes so that typos cannot burn the upstream budget. A user waits at most a
 * second for a load while a stale value could answer instead.
 */
public final class SportsPolicies {
    /** How long a caller waits for a name to be resolved, which may take a roster scan. */
    public static final Duration SCAN_LOAD_TIMEOUT = Duration.ofSeconds(90);

    /** The list of teams ({@code teams:NFL}): fresh for 24 hours. */
    public static final CachePolicy TEAM_LIST = policy(Duration.ofHours(24), Duration.ofDays(7));

    /** One team's roster for a season ({@code roster:KC:2024}): fresh for 6 hours. */
    public static final CachePolicy ROSTER = policy(Duration.ofHours(6), Duration.ofDays(2));

    /**
     * A player found by name ({@code player-id:patrick mahomes}): fresh for 24 hours. Its load may be
     * a scan of every roster (33 calls without name search: over half a minute on a plan of 60
     * requests a minute), so callers wait for it up to {@link #SCAN_LOAD_TIMEOUT}; a caller that
     * gives up does not stop the scan, whose rosters and names are cached for the next.
     */
    public static final CachePolicy PLAYER_ID = policy(Duration.ofHours(24), Duration.ofDays(7)).toBuilder()
            .loadTimeout(SportsPolicies.SCAN_LOAD_TIMEOUT)
            .build();

    /**
     * A name search's results by term ({@code player-search:mahomes}): fresh for 12 hours, half the
     * {@link #PLAYER_ID} names built from them, so that a name's entry, rebuilt from a search still
     * fresh, is at most a day and a half behind the provider's teams. A term nobody has is remembered
     * for the 10 minutes of every "not found".
     */
    public static final CachePolicy PLAYER_SEARCH = policy(Duration.ofHours(12), Duration.ofDays(7));

    /** One player's season stats ({@code stats:<player id>:2024}): fresh for 1 hour. */
    public static final CachePolicy PLAYER_STATS = policy(Duration.ofHours(1), Duration.ofHours(24));

    private SportsPolicies() {}

    private static CachePolicy policy(Duration ttl, Duration staleIfError) {
        return CachePolicy.builder(ttl)
                .staleWhileRevalidate(ttl.dividedBy(10))
                .staleIfError(staleIfError)
                .negativeTtl(Duration.ofMinutes(10))
                .jitter(0.1)
                .loadTimeout(Duration.ofSeconds(10))
                // a user with a stale answer at hand waits a second for a new one, not ten
                .softTimeout(Duration.ofSeconds(1))
                .build();
    }
}
