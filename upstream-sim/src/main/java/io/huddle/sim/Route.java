package io.huddle.sim;

import java.util.Optional;

/** The {@code /nfl/v1} routes, matched from a request path. */
enum Route {
    TEAMS(UpstreamCalls.TEAMS),
    TEAM(UpstreamCalls.TEAM),
    ROSTER(UpstreamCalls.ROSTER),
    PLAYERS(UpstreamCalls.PLAYERS),
    PLAYER(UpstreamCalls.PLAYER),
    SEASON_STATS(UpstreamCalls.SEASON_STATS);

    static final String PREFIX = "/nfl/v1/";

    final String template;

    Route(String template) {
        this.template = template;
    }

    /** A matched route and the {@code {id}} path segment, or null for routes without one. */
    record Match(Route route, String id) {}

    /** The route of a raw request path; a single trailing slash is ignored. */
    static Optional<Match> match(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = rawPath.substring(PREFIX.length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String[] segment = rest.split("/", -1);
        Match match = switch (segment.length) {
            case 1 ->
                switch (segment[0]) {
                    case "teams" -> new Match(TEAMS, null);
                    case "players" -> new Match(PLAYERS, null);
                    case "season_stats" -> new Match(SEASON_STATS, null);
                    default -> null;
                };
            case 2 ->
                switch (segment[0]) {
                    case "teams" -> new Match(TEAM, segment[1]);
                    case "players" -> new Match(PLAYER, segment[1]);
                    default -> null;
                };
            case 3 -> "teams".equals(segment[0]) && "roster".equals(segment[2]) ? new Match(ROSTER, segment[1]) : null;
            default -> null;
        };
        return Optional.ofNullable(match).filter(m -> m.id() == null || !m.id().isEmpty());
    }
}
