package io.huddle.sports;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory provider of three teams and two retired players, counting its calls per request: the
 * reference {@link SportsDataPort} the service tests run on. (The HTTP client is tested against the
 * simulator.) A search answers in pages of {@code searchPageSize} players, one request each.
 */
final class SmallLeague implements SportsDataPort {
    static final Season SEASON = Season.of(2024);

    static final Player MAHOMES = new Player("1", "Patrick", "Mahomes", "QB", "KC");
    static final Player WATT = new Player("2", "T.J.", "Watt", "LB", "PIT");
    static final Player ALLEN_BUF = new Player("3", "Josh", "Allen", "QB", "BUF");
    static final Player ALLEN_KC = new Player("4", "Josh", "Allen", "WR", "KC");
    static final Player DONALD = new Player("5", "Aaron", "Donald", "DT", null);
    static final Player CHASE = new Player("6", "Ja'Marr", "Chase", "WR", "PIT");
    /** Retired: no 2024 stats, but a 2022 line. */
    static final Player JJ_WATT = new Player("7", "J.J.", "Watt", "DE", null);

    /** The seasons before 2024 in which the retired players have stats. */
    static final Map<String, Set<Integer>> PAST_SEASONS = Map.of(DONALD.id(), Set.of(2023), JJ_WATT.id(), Set.of(2022));

    private final Map<String, List<Player>> rosters = new HashMap<>();
    private final List<Player> everyone = new ArrayList<>();
    private final Set<Capability> capabilities;
    private final int searchPageSize;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    SmallLeague(Set<Capability> capabilities) {
        this(capabilities, Integer.MAX_VALUE, List.of());
    }

    /**
     * A league whose searches answer {@code searchPageSize} players a request, with {@code extra}
     * players on the rosters of their teams (and in searches).
     */
    SmallLeague(Set<Capability> capabilities, int searchPageSize, List<Player> extra) {
        this.capabilities = capabilities.isEmpty() ? Set.of() : EnumSet.copyOf(capabilities);
        this.searchPageSize = searchPageSize;
        List<Player> players = new ArrayList<>(List.of(MAHOMES, WATT, ALLEN_BUF, ALLEN_KC, DONALD, CHASE, JJ_WATT));
        players.addAll(extra);
        for (String team : List.of("KC", "PIT", "BUF")) {
            rosters.put(team, new ArrayList<>());
        }
        for (Player player : players) {
            everyone.add(player);
            player.team().ifPresent(team -> rosters.get(team).add(player));
        }
    }

    int calls(String request) {
        return calls.getOrDefault(request, new AtomicInteger()).get();
    }

    int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void count(String request) {
        calls.computeIfAbsent(request, r -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public List<Team> teams() {
        count("teams");
        return List.of(
                new Team("BUF", "Buffalo", "Bills", "AFC", "EAST"),
                new Team("KC", "Kansas City", "Chiefs", "AFC", "WEST"),
                new Team("PIT", "Pittsburgh", "Steelers", "AFC", "NORTH"));
    }

    @Override
    public Roster roster(String teamId, Season season) {
        count("roster");
        List<Player> players = rosters.get(teamId);
        if (players == null) {
            throw new UpstreamException.NotFound("GET /teams/" + teamId + "/roster", "Not Found");
        }
        return new Roster(teamId, season, players);
    }

    @Override
    public List<Player> searchPlayers(String name) {
        return search(name).players();
    }

    @Override
    public PlayerSearch search(String name) {
        if (!capabilities.contains(Capability.NAME_SEARCH)) {
            throw new UnsupportedOperationException("no name search");
        }
        List<Player> found = everyone.stream()
                .filter(p -> (p.firstName() + " " + p.lastName()).toLowerCase().contains(name.toLowerCase()))
                .toList();
        int pages = found.isEmpty() ? 1 : (found.size() - 1) / searchPageSize + 1;
        for (int i = 0; i < pages; i++) {
            count("search");
        }
        return new PlayerSearch(found, pages);
    }

    @Override
    public Optional<PlayerStats> seasonStats(String playerId, Season season) {
        count("stats");
        return Optional.ofNullable(line(playerId, season));
    }

    @Override
    public Map<String, PlayerStats> seasonStats(Collection<String> playerIds, Season season) {
        count("stats");
        Map<String, PlayerStats> found = new HashMap<>();
        playerIds.forEach(id -> Optional.ofNullable(line(id, season)).ifPresent(line -> found.put(id, line)));
        return found;
    }

    private static PlayerStats line(String playerId, Season season) {
        Set<Integer> past = PAST_SEASONS.get(playerId);
        if (past != null ? !past.contains(season.year()) : !season.equals(SEASON)) {
            return null;
        }
        int n = Integer.parseInt(playerId.replaceAll("\\D", "0"));
        return new PlayerStats(
                playerId, season, 17, new PlayerStats.Passing(300 + n, 450, 4000 + n, 30, 10, null), null, null, null);
    }
}
