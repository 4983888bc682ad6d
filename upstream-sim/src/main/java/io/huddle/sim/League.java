package io.huddle.sim;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The simulated league: teams, players, rosters, the season's stat lines and the retired players'
 * lines of their past seasons. Immutable, thread-safe.
 */
final class League {
    /** The only season with rosters and stats; other seasons answer empty lists. */
    static final int SEASON = 2024;

    private final List<Data.Team> teams;
    private final Map<Integer, Data.Team> teamsById;
    private final List<Data.Player> players;
    private final Map<Long, Data.Player> playersById;
    private final Map<Integer, List<Data.Player>> rosters;
    private final Map<Long, Data.StatLine> stats;
    /** Season to the lines of that past season, by player id. */
    private final Map<Integer, List<Data.StatLine>> pastLines;

    /** A season a retired player played, with {@code player} as he was then (on that season's team). */
    record PastSeason(Data.Player player, int season) {}

    League(
            List<Data.Team> teams,
            List<Data.Player> players,
            List<PastSeason> past,
            Set<Long> starIds,
            StatsGenerator generator) {
        this.teams = List.copyOf(teams);
        this.teamsById = teams.stream().collect(Collectors.toUnmodifiableMap(Data.Team::id, Function.identity()));
        this.players = players.stream()
                .sorted(Comparator.comparingLong(Data.Player::id))
                .toList();
        this.playersById = new HashMap<>();
        this.players.forEach(player -> {
            if (playersById.put(player.id(), player) != null) {
                throw new IllegalStateException("two players with id " + player.id());
            }
        });
        this.rosters = this.players.stream()
                .filter(player -> player.team() != null)
                .collect(Collectors.groupingBy(player -> player.team().id(), Collectors.toUnmodifiableList()));
        Map<Long, Data.StatLine> lines = new LinkedHashMap<>();
        this.players.stream()
                .filter(player -> player.team() != null)
                .forEach(player ->
                        lines.put(player.id(), generator.line(player, SEASON, starIds.contains(player.id()))));
        this.stats = Map.copyOf(lines);
        this.pastLines = past.stream()
                .sorted(Comparator.comparingLong(
                        (PastSeason played) -> played.player().id()))
                .collect(Collectors.groupingBy(
                        PastSeason::season,
                        Collectors.mapping(
                                played -> generator.line(played.player(), played.season(), true),
                                Collectors.toUnmodifiableList())));
    }

    List<Data.Team> teams() {
        return teams;
    }

    Optional<Data.Team> team(int id) {
        return Optional.ofNullable(teamsById.get(id));
    }

    /** The team's players in the season (empty for an unsupported season), or empty if there is no such team. */
    Optional<List<Data.Player>> roster(int teamId, int season) {
        return team(teamId).map(team -> season == SEASON ? rosters.getOrDefault(team.id(), List.of()) : List.of());
    }

    /** Every player, by id. */
    List<Data.Player> players() {
        return players;
    }

    Optional<Data.Player> player(long id) {
        return Optional.ofNullable(playersById.get(id));
    }

    /** Players whose first, last or full name contains {@code text}, ignoring case; by id. */
    List<Data.Player> search(String text) {
        String needle = text.strip().toLowerCase(Locale.ROOT);
        return players.stream()
                .filter(player -> player.fullName().toLowerCase(Locale.ROOT).contains(needle))
                .toList();
    }

    /**
     * The season lines of the given players (of every player when {@code playerIds} is empty), by
     * player id: of the rostered players for {@link #SEASON}, of the retired players for the seasons
     * before it they played.
     */
    List<Data.StatLine> stats(int season, Set<Long> playerIds) {
        if (season != SEASON) {
            return pastLines.getOrDefault(season, List.of()).stream()
                    .filter(line -> playerIds.isEmpty()
                            || playerIds.contains(line.player().id()))
                    .toList();
        }
        return players.stream()
                .filter(player -> playerIds.isEmpty() || playerIds.contains(player.id()))
                .map(player -> stats.get(player.id()))
                .filter(line -> line != null)
                .toList();
    }
}
