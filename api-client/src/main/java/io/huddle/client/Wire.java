package io.huddle.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.huddle.sports.Player;
import io.huddle.sports.PlayerStats;
import io.huddle.sports.Season;
import io.huddle.sports.Team;
import java.util.List;

/** The provider's JSON, as records Jackson fills (snake_case), and their mapping to the domain. */
final class Wire {
    private Wire() {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TeamJson(
            Integer id,
            String conference,
            String division,
            String location,
            String name,
            String fullName,
            String abbreviation) {
        Team toTeam() {
            return new Team(abbreviation, location, name, conference, division);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlayerJson(
            Long id, String firstName, String lastName, String position, String positionAbbreviation, TeamJson team) {
        Player toPlayer() {
            String abbreviation = positionAbbreviation != null ? positionAbbreviation : position;
            return new Player(
                    String.valueOf(required(id, "player id")),
                    required(firstName, "first_name"),
                    required(lastName, "last_name"),
                    required(abbreviation, "position"),
                    team == null ? null : team.abbreviation());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record StatsJson(
            PlayerJson player,
            Integer season,
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
            Integer fumblesForced) {

        String playerId() {
            return String.valueOf(required(required(player, "player").id(), "player id"));
        }

        /** A group is present when any of its figures is; a figure absent stays absent. */
        PlayerStats toStats(Season asked) {
            PlayerStats.Passing passing = anyPresent(
                            passingCompletions,
                            passingAttempts,
                            passingYards,
                            passingTouchdowns,
                            passingInterceptions,
                            qbRating)
                    ? new PlayerStats.Passing(
                            passingCompletions,
                            passingAttempts,
                            passingYards,
                            passingTouchdowns,
                            passingInterceptions,
                            qbRating)
                    : null;
            PlayerStats.Rushing rushing = anyPresent(rushingAttempts, rushingYards, rushingTouchdowns)
                    ? new PlayerStats.Rushing(rushingAttempts, rushingYards, rushingTouchdowns)
                    : null;
            PlayerStats.Receiving receiving = anyPresent(
                            receptions, receivingTargets, receivingYards, receivingTouchdowns)
                    ? new PlayerStats.Receiving(receptions, receivingTargets, receivingYards, receivingTouchdowns)
                    : null;
            PlayerStats.Defence defence =
                    anyPresent(totalTackles, soloTackles, defensiveSacks, defensiveInterceptions, fumblesForced)
                            ? new PlayerStats.Defence(
                                    totalTackles, soloTackles, defensiveSacks, defensiveInterceptions, fumblesForced)
                            : null;
            Season of = season == null ? asked : Season.of(season);
            return new PlayerStats(playerId(), of, gamesPlayed, passing, rushing, receiving, defence);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Meta(Integer nextCursor, Integer perPage) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Page<T>(List<T> data, Meta meta) {
        List<T> items() {
            return required(data, "data");
        }

        Integer nextCursor() {
            return meta == null ? null : meta.nextCursor();
        }
    }

    private static boolean anyPresent(Object... figures) {
        for (Object figure : figures) {
            if (figure != null) {
                return true;
            }
        }
        return false;
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("the answer has no " + field);
        }
        return value;
    }
}
