package io.huddle.sports;

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
 * An in-memory provider of three teams, counting its calls per request: the reference {@link
 * SportsDataPort} the service tests run on. (The HTTP client is tested against the simulator.)
 */
final class SmallLeague implements SportsDataPort {
    static final Season SEASON = Season.of(2024);

    static final Player MAHOMES = new Player("1", "Patrick", "Mahomes", "QB", "KC");
    static final Player WATT = new Player("2", "T.J.", "Watt", "LB", "PIT");
    static final Player ALLEN_BUF = new Player("3", "Josh", "Allen", "QB", "BUF");
    static final Player ALLEN_KC = new Player("4", "Josh", "Allen", "WR", "KC");
    static final Player DONALD = new Player("5", "Aaron", "Donald", "DT", null);
    static final Player CHASE = new Player("6", "Ja'Marr", "Chase", "WR", "PIT");

    private final Map<String, List<Player>> rosters =
            Map.of("KC", List.of(MAHOMES, ALLEN_KC), "PIT", List.of(WATT, CHASE), "BUF", List.of(ALLEN_BUF));
    private final List<Player> everyone = List.of(MAHOMES, WATT, ALLEN_BUF, ALLEN_KC, DONALD, CHASE);
    private final Set<Capability> capabilities;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    SmallLeague(Set<Capability> capabilities) {
        this.capabilities = capabilities.isEmpty() ? Set.of() : EnumSet.copyOf(capabilities);
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
        if (!capabilities.contains(Capability.NAME_SEARCH)) {
            throw new UnsupportedOperationException("no name search");
        }
        count("search");
        return everyone.stream()
                .filter(p -> (p.firstName() + " " + p.lastName()).toLowerCase().contains(name.toLowerCase()))
                .toList();
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
        if (playerId.equals(DONALD.id())) {
            return null;
        }
        int n = Integer.parseInt(playerId);
        return new PlayerStats(
                playerId, season, 17, new PlayerStats.Passing(300 + n, 450, 4000 + n, 30, 10, null), null, null, null);
    }
}
