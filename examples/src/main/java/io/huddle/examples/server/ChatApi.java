package io.huddle.examples.server;

import io.huddle.examples.server.Answers.ComparisonAnswer;
import io.huddle.examples.server.Answers.PlayersAnswer;
import io.huddle.examples.server.Answers.RosterAnswer;
import io.huddle.examples.server.Answers.StatsAnswer;
import io.huddle.examples.server.Answers.TeamsAnswer;
import io.huddle.sports.Player;
import io.huddle.sports.PlayerStats;
import io.huddle.sports.Roster;
import io.huddle.sports.Season;
import io.huddle.sports.SportsStatsService;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.Optional;

/** The chatbot's questions, each answered by the sports service through the shared cache. */
final class ChatApi {
    /** The header naming a user's conversation. */
    static final String SESSION_HEADER = "X-Huddle-Session";

    private final SportsStatsService service;
    private final Season currentSeason;

    ChatApi(SportsStatsService service, Season currentSeason) {
        this.service = Objects.requireNonNull(service, "service");
        this.currentSeason = Objects.requireNonNull(currentSeason, "currentSeason");
    }

    /** {@code GET /api/players?name=}: the player, or every candidate when the name is ambiguous. */
    void players(Context ctx) {
        String name = required(ctx, "name");
        ctx.json(PlayersAnswer.of(name, service.findPlayers(name)));
    }

    /** {@code GET /api/players/{name}/stats?season=}: one player's season. */
    void stats(Context ctx) {
        String name = ctx.pathParam("name");
        Season season = season(ctx);
        Player player = service.findPlayer(name);
        PlayerStats stats = service.seasonStats(player, season, session(ctx))
                .orElseThrow(() ->
                        new Problems.NotFound(player.fullName() + " has no statistics for the " + season + " season"));
        ctx.json(StatsAnswer.of(player, season.year(), stats));
    }

    /** {@code GET /api/compare?a=&b=&season=}: two players side by side. */
    void compare(Context ctx) {
        String first = required(ctx, "a");
        String second = required(ctx, "b");
        ctx.json(ComparisonAnswer.of(service.compare(first, second, season(ctx), session(ctx))));
    }

    /** {@code GET /api/teams}: the league's teams. */
    void teams(Context ctx) {
        ctx.json(new TeamsAnswer(service.teams()));
    }

    /** {@code GET /api/teams/{id}/roster?season=}: a team's players. */
    void roster(Context ctx) {
        String team = ctx.pathParam("id");
        Season season = season(ctx);
        Optional<Roster> found;
        try {
            found = service.roster(team, season);
        } catch (IllegalArgumentException e) { // the service's check of the id, naming it
            throw new Problems.BadRequest(e.getMessage());
        }
        Roster roster =
                found.orElseThrow(() -> new Problems.NotFound("no team '" + team + "' in the " + season + " season"));
        ctx.json(RosterAnswer.of(roster));
    }

    /**
     * The user's conversation, if the chatbot names it ({@code X-Huddle-Session} header or {@code
     * session} parameter): what one session asks next teaches the prefetch. Null otherwise.
     */
    private static String session(Context ctx) {
        String session = ctx.header(SESSION_HEADER);
        if (session == null) {
            session = ctx.queryParam("session");
        }
        return session == null || session.isBlank() ? null : shorten(session.strip());
    }

    private static String required(Context ctx, String parameter) {
        String value = ctx.queryParam(parameter);
        if (value == null) {
            throw new Problems.BadRequest("the query parameter '" + parameter + "' is required");
        }
        return value;
    }

    private Season season(Context ctx) {
        String value = ctx.queryParam("season");
        if (value == null || value.isBlank()) {
            return currentSeason;
        }
        int year;
        try {
            year = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new Problems.BadRequest("season must be a year such as 2024, was '" + shorten(value) + "'");
        }
        try {
            return Season.of(year);
        } catch (IllegalArgumentException e) { // Season's own range check, naming the year
            throw new Problems.BadRequest(e.getMessage());
        }
    }

    /** A user's value in a message, cut to a readable length. */
    static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
