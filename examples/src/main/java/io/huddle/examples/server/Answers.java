package io.huddle.examples.server;

import io.huddle.sports.Comparison;
import io.huddle.sports.Player;
import io.huddle.sports.PlayerStats;
import io.huddle.sports.Roster;
import io.huddle.sports.Team;
import java.util.List;

/** The JSON shapes of the chatbot's answers: what a client reads, kept apart from the domain records. */
final class Answers {
    private Answers() {}

    /** A player, with the name a chatbot shows. */
    record PlayerAnswer(String id, String name, String firstName, String lastName, String position, String team) {
        static PlayerAnswer of(Player player) {
            return new PlayerAnswer(
                    player.id(),
                    player.fullName(),
                    player.firstName(),
                    player.lastName(),
                    player.position(),
                    player.teamId());
        }
    }

    /** The players a name matched: one, or the candidates when it is ambiguous. */
    record PlayersAnswer(String name, boolean ambiguous, List<PlayerAnswer> players) {
        static PlayersAnswer of(String name, List<Player> players) {
            return new PlayersAnswer(
                    name,
                    players.size() > 1,
                    players.stream().map(PlayerAnswer::of).toList());
        }
    }

    /** A player's season; {@code stats} is null when the provider has none for it. */
    record StatsAnswer(PlayerAnswer player, int season, PlayerStats stats) {
        static StatsAnswer of(Player player, int season, PlayerStats stats) {
            return new StatsAnswer(PlayerAnswer.of(player), season, stats);
        }
    }

    /** Two players' seasons side by side. */
    record ComparisonAnswer(int season, StatsAnswer first, StatsAnswer second) {
        static ComparisonAnswer of(Comparison comparison) {
            int season = comparison.season().year();
            return new ComparisonAnswer(
                    season,
                    StatsAnswer.of(
                            comparison.first(), season, comparison.firstStats().orElse(null)),
                    StatsAnswer.of(
                            comparison.second(),
                            season,
                            comparison.secondStats().orElse(null)));
        }
    }

    /** The league's teams. */
    record TeamsAnswer(List<Team> teams) {}

    /** A team's roster for a season. */
    record RosterAnswer(String team, int season, List<PlayerAnswer> players) {
        static RosterAnswer of(Roster roster) {
            return new RosterAnswer(
                    roster.teamId(),
                    roster.season().year(),
                    roster.players().stream().map(PlayerAnswer::of).toList());
        }
    }
}
