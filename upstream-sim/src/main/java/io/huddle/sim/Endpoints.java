package io.huddle.sim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/** What each {@code /nfl/v1} route answers, from the {@link League}; problems are {@link HttpProblem}s. */
final class Endpoints {
    static final int DEFAULT_PER_PAGE = 25;
    static final int MAX_PER_PAGE = 100;
    static final int MAX_SEARCH_LENGTH = 100;

    private final League league;
    private volatile boolean nameSearch;

    Endpoints(League league, boolean nameSearch) {
        this.league = league;
        this.nameSearch = nameSearch;
    }

    void setNameSearch(boolean enabled) {
        this.nameSearch = enabled;
    }

    /** The body of the 200 answer. */
    Object answer(Route.Match match, Query query) {
        return switch (match.route()) {
            case TEAMS -> new Data.ListAnswer(league.teams(), null);
            case TEAM ->
                new Data.ItemAnswer(league.team(teamId(match)).orElseThrow(() -> notFound("team", match.id())));
            case ROSTER ->
                new Data.ListAnswer(
                        league.roster(teamId(match), query.requiredInt("season"))
                                .orElseThrow(() -> notFound("team", match.id())),
                        null);
            case PLAYERS -> players(query);
            case PLAYER ->
                new Data.ItemAnswer(league.player(Query.parseLong("player id", match.id()))
                        .orElseThrow(() -> notFound("player", match.id())));
            case SEASON_STATS -> seasonStats(query);
        };
    }

    private Data.ListAnswer players(Query query) {
        if (query.first("search").isEmpty()) {
            return page(league.players(), Data.Player::id, query);
        }
        if (!nameSearch) {
            throw new HttpProblem(400, UpstreamSimulator.NAME_SEARCH_OFF);
        }
        String search = query.first("search").orElseThrow();
        if (search.isBlank()) {
            throw new HttpProblem(400, "search must not be blank");
        }
        if (search.length() > MAX_SEARCH_LENGTH) {
            throw new HttpProblem(
                    400, "search must be at most " + MAX_SEARCH_LENGTH + " characters, was " + search.length());
        }
        return page(league.search(search), Data.Player::id, query);
    }

    private Data.ListAnswer seasonStats(Query query) {
        int season = query.requiredInt("season");
        Set<Long> ids = new HashSet<>();
        for (String id : query.all("player_ids[]", "player_ids")) {
            ids.add(Query.parseLong("player_ids[]", id));
        }
        return page(league.stats(season, ids), line -> line.player().id(), query);
    }

    /** One page of {@code items} (ordered by id): those after the cursor id, at most per_page of them. */
    private static <T> Data.ListAnswer page(List<T> items, ToLongFunction<T> id, Query query) {
        int perPage = query.optionalInt("per_page").orElse(DEFAULT_PER_PAGE);
        if (perPage < 1) {
            throw new HttpProblem(400, "per_page must be at least 1, was " + perPage);
        }
        perPage = Math.min(perPage, MAX_PER_PAGE);
        long cursor = query.optionalLong("cursor").orElse(0L);
        if (cursor < 0) {
            throw new HttpProblem(400, "cursor must not be negative, was " + cursor);
        }
        List<T> after =
                items.stream().filter(item -> id.applyAsLong(item) > cursor).toList();
        List<T> page = after.subList(0, Math.min(perPage, after.size()));
        Long next = after.size() > perPage ? id.applyAsLong(page.get(page.size() - 1)) : null;
        return new Data.ListAnswer(page, new Data.Meta(next, perPage));
    }

    private static int teamId(Route.Match match) {
        return Query.parseInt("team id", match.id());
    }

    private static HttpProblem notFound(String what, String id) {
        return new HttpProblem(404, "no " + what + " with id " + id);
    }
}
