package io.huddle.sim;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The simulator's values, shaped exactly as the balldontlie NFL v1 JSON: Jackson writes them with
 * snake_case names, so each record component is one field of the wire format.
 */
final class Data {
    private Data() {}

    /** A team; {@code id} is the provider's number (1..32 in the order of the teams file). */
    record Team(
            int id,
            String conference,
            String division,
            String location,
            String name,
            String fullName,
            String abbreviation) {}

    /** A player; {@code team} is null for a player on no team (retired, free agent), and written as null. */
    record Player(
            long id,
            String firstName,
            String lastName,
            String position,
            String positionAbbreviation,
            String height,
            String weight,
            String jerseyNumber,
            String college,
            String experience,
            int age,
            Team team) {

        @JsonIgnore
        String fullName() {
            return firstName + " " + lastName;
        }
    }

    /** One player's season line; a figure of a group that does not apply to the player is null and omitted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StatLine(
            Player player,
            int season,
            Integer gamesPlayed,
            Integer passingCompletions,
            Integer passingAttempts,
            Integer passingYards,
            Integer passingTouchdowns,
            Integer passingInterceptions,
            Double qbRating,
            Integer rushingAttempts,
            Integer rushingYards,
            Integer rushingTouchdowns,
            Integer receptions,
            Integer receivingTargets,
            Integer receivingYards,
            Integer receivingTouchdowns,
            Integer totalTackles,
            Integer soloTackles,
            Double defensiveSacks,
            Integer defensiveInterceptions,
            Integer fumblesForced) {}

    /** A list answer: {@code {"data": [...], "meta": {...}}}; {@code meta} is omitted for one-page lists. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ListAnswer(List<?> data, Meta meta) {}

    /** Paging facts; {@code next_cursor} is omitted on the last page. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Meta(Long nextCursor, int perPage) {}

    /** A single-item answer: {@code {"data": {...}}}. */
    record ItemAnswer(Object data) {}

    /** Every error answer: {@code {"error": "..."}}. */
    record ErrorAnswer(String error) {}
}
