package io.huddle.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Builds the {@link League} from a seed: the 32 real teams (from {@code nfl-teams.csv}), the named
 * players with their real 2024 facts, the retired named players with the real teams of their past
 * seasons, 53-man rosters filled with generated players, and any extra players a test asked for.
 * The same seed always gives the same league; filler ids do not depend on the seed.
 */
final class LeagueGenerator {
    private static final String TEAMS_FILE = "nfl-teams.csv";

    /**
     * Real players with their real 2024 facts; ids are fixed and below {@link #FILLER_ID_BASE}. The
     * retired ones are on no team and no 2024 roster but still found by name, with the real teams of
     * the seasons they played (the franchise's abbreviation of today: the Rams of 2014 are LAR).
     */
    static final List<Named> NAMED = List.of(
            new Named(1, "Patrick", "Mahomes", Position.QB, "KC", 15, 74, 225, "Texas Tech", 8, 29, List.of()),
            new Named(2, "Josh", "Allen", Position.QB, "BUF", 17, 77, 237, "Wyoming", 7, 28, List.of()),
            new Named(3, "Lamar", "Jackson", Position.QB, "BAL", 8, 74, 205, "Louisville", 7, 27, List.of()),
            new Named(4, "Justin", "Jefferson", Position.WR, "MIN", 18, 73, 195, "LSU", 5, 25, List.of()),
            new Named(5, "Micah", "Parsons", Position.LB, "DAL", 11, 75, 245, "Penn State", 4, 25, List.of()),
            new Named(6, "T.J.", "Watt", Position.LB, "PIT", 90, 76, 252, "Wisconsin", 8, 30, List.of()),
            new Named(7, "Myles", "Garrett", Position.DE, "CLE", 95, 76, 272, "Texas A&M", 8, 28, List.of()),
            // retired in March 2024, after the 2023 season
            new Named(
                    8,
                    "Aaron",
                    "Donald",
                    Position.DT,
                    null,
                    99,
                    73,
                    280,
                    "Pittsburgh",
                    10,
                    33,
                    List.of(new Stint("LAR", 2014, 2023))),
            // retired after the 2022 season
            new Named(
                    9,
                    "J.J.",
                    "Watt",
                    Position.DE,
                    null,
                    99,
                    77,
                    288,
                    "Wisconsin",
                    12,
                    35,
                    List.of(new Stint("HOU", 2011, 2020), new Stint("ARI", 2021, 2022))),
            // retired after the 2022 season
            new Named(
                    10,
                    "Tom",
                    "Brady",
                    Position.QB,
                    null,
                    12,
                    76,
                    225,
                    "Michigan",
                    23,
                    47,
                    List.of(new Stint("NE", 2000, 2019), new Stint("TB", 2020, 2022))),
            // retired after the 2019 season
            new Named(
                    11,
                    "Luke",
                    "Kuechly",
                    Position.LB,
                    null,
                    59,
                    75,
                    238,
                    "Boston College",
                    8,
                    33,
                    List.of(new Stint("CAR", 2012, 2019))));

    /** Ids of the extra players a test asks for ({@link UpstreamSimulator.Builder#extraPlayer}): from 10001 on. */
    static final long EXTRA_ID_BASE = 10_000;

    /** Filler ids are {@code team number * 100 + n}, so they never meet the named ids. */
    static final long FILLER_ID_BASE = 100;

    /** Where the two filler players named {@link UpstreamSimulator#SHARED_NAME} play: team to position. */
    static final Map<String, Position> SHARED_NAME_SLOTS = Map.of("NYG", Position.WR, "SEA", Position.LB);

    private static final List<String> FIRST_NAMES = List.of(
            "Aiden", "Andre", "Brandon", "Brian", "Caleb", "Cameron", "Carlos", "Chris", "Cole", "Corey", "Damon",
            "Darius", "Derek", "Devin", "Dominic", "Elijah", "Elliot", "Eric", "Evan", "Gavin", "Isaiah", "Jalen",
            "Jamal", "Jared", "Jaylen", "Jerome", "Jordan", "Kendall", "Kevin", "Kyle", "Logan", "Malik", "Mason",
            "Nathan", "Nick", "Noah", "Omar", "Quinn", "Rashad", "Reggie", "Ryan", "Sam", "Terrell", "Trent", "Tyler",
            "Tyrone", "Victor", "Wesley", "Xavier", "Zach");

    private static final List<String> LAST_NAMES = List.of(
            "Anderson",
            "Baker",
            "Bennett",
            "Brooks",
            "Carter",
            "Coleman",
            "Collins",
            "Cooper",
            "Davis",
            "Dawson",
            "Ellis",
            "Fisher",
            "Foster",
            "Gibson",
            "Graham",
            "Grant",
            "Green",
            "Griffin",
            "Harper",
            "Hayes",
            "Henderson",
            "Hill",
            "Holmes",
            "Howard",
            "Hughes",
            "Jenkins",
            "Johnson",
            "Kelly",
            "Lawson",
            "Lewis",
            "Marshall",
            "Mason",
            "Mitchell",
            "Morgan",
            "Murray",
            "Nelson",
            "Owens",
            "Palmer",
            "Perry",
            "Porter",
            "Reed",
            "Richardson",
            "Robinson",
            "Russell",
            "Sanders",
            "Simmons",
            "Stewart",
            "Sullivan",
            "Turner",
            "Walker",
            "Ward",
            "Webb",
            "Wells",
            "Wheeler",
            "Young");

    private static final List<String> COLLEGES = List.of(
            "Alabama",
            "Auburn",
            "Clemson",
            "Florida",
            "Florida State",
            "Georgia",
            "Iowa",
            "LSU",
            "Miami",
            "Michigan",
            "Notre Dame",
            "Ohio State",
            "Oklahoma",
            "Oregon",
            "Penn State",
            "Stanford",
            "TCU",
            "Tennessee",
            "Texas",
            "USC",
            "Utah",
            "Washington",
            "Wisconsin",
            "Boise State",
            "North Dakota State");

    private LeagueGenerator() {}

    static League generate(long seed) {
        return generate(seed, List.of());
    }

    /** The league of the seed with the {@code extra} players added, with ids from {@link #EXTRA_ID_BASE} + 1. */
    static League generate(long seed, List<Extra> extra) {
        List<Data.Team> teams = readTeams();
        Map<String, Data.Team> byAbbreviation = new HashMap<>();
        teams.forEach(team -> byAbbreviation.put(team.abbreviation(), team));
        Iterator<String[]> names = fillerNames(seed);
        List<Data.Player> players = new ArrayList<>();
        for (Data.Team team : teams) {
            players.addAll(roster(seed, team, names));
        }
        List<League.PastSeason> past = new ArrayList<>();
        for (Named named : NAMED) {
            if (named.team() == null) {
                players.add(named.toPlayer(null));
            }
            for (Stint stint : named.career()) {
                Data.Team team = Objects.requireNonNull(byAbbreviation.get(stint.team()), stint.team());
                for (int season = stint.from(); season <= stint.to(); season++) {
                    past.add(new League.PastSeason(named.toPlayer(team), season));
                }
            }
        }
        long nextExtra = EXTRA_ID_BASE;
        for (Extra player : extra) {
            Data.Team team = player.team() == null
                    ? null
                    : Objects.requireNonNull(byAbbreviation.get(player.team()), "no team " + player.team());
            players.add(new Data.Player(
                    ++nextExtra,
                    player.firstName(),
                    player.lastName(),
                    Position.WR.title,
                    Position.WR.name(),
                    height(72),
                    "200 lbs",
                    "0",
                    "Simulated",
                    experience(1),
                    22,
                    team));
        }
        Set<Long> starIds = new HashSet<>();
        NAMED.forEach(named -> starIds.add(named.id()));
        return new League(teams, players, past, starIds, new StatsGenerator(seed));
    }

    private static List<Data.Player> roster(long seed, Data.Team team, Iterator<String[]> names) {
        Random random = new Random(Seeds.mix(seed, team.id()));
        Set<Integer> jerseys = new HashSet<>();
        List<Data.Player> roster = new ArrayList<>();
        int[] open = new int[Position.values().length];
        for (Position position : Position.values()) {
            open[position.ordinal()] = position.perRoster;
        }
        for (Named named : NAMED) {
            if (team.abbreviation().equals(named.team())) {
                roster.add(named.toPlayer(team));
                jerseys.add(named.jersey());
                open[named.position().slot().ordinal()]--;
            }
        }
        long next = team.id() * FILLER_ID_BASE;
        for (Position position : Position.values()) {
            for (int n = 0; n < open[position.ordinal()]; n++) {
                String[] name = n == 0 && position == SHARED_NAME_SLOTS.get(team.abbreviation())
                        ? UpstreamSimulator.SHARED_NAME.split(" ", 2)
                        : names.next();
                roster.add(filler(++next, name, position, jersey(random, position, jerseys), random, team));
            }
        }
        return roster;
    }

    private static Data.Player filler(
            long id, String[] name, Position position, int jersey, Random random, Data.Team team) {
        int experience = 1 + random.nextInt(12);
        return new Data.Player(
                id,
                name[0],
                name[1],
                position.title,
                position.name(),
                height(between(random, position.heightLow, position.heightHigh)),
                between(random, position.weightLow, position.weightHigh) + " lbs",
                String.valueOf(jersey),
                COLLEGES.get(random.nextInt(COLLEGES.size())),
                experience(experience),
                21 + experience + random.nextInt(3),
                team);
    }

    /** A free number in the position's range, else any free number. */
    private static int jersey(Random random, Position position, Set<Integer> taken) {
        int span = position.jerseyHigh - position.jerseyLow + 1;
        int start = random.nextInt(span);
        for (int i = 0; i < span; i++) {
            int number = position.jerseyLow + (start + i) % span;
            if (taken.add(number)) {
                return number;
            }
        }
        for (int number = 0; number < 100; number++) {
            if (taken.add(number)) {
                return number;
            }
        }
        throw new IllegalStateException("no jersey number left");
    }

    /** Every first/last combination in a seeded order, without the named players' and the shared name. */
    private static Iterator<String[]> fillerNames(long seed) {
        Set<String> reserved = new HashSet<>();
        NAMED.forEach(named -> reserved.add(named.firstName() + " " + named.lastName()));
        reserved.add(UpstreamSimulator.SHARED_NAME);
        List<String[]> combinations = new ArrayList<>();
        for (String first : FIRST_NAMES) {
            for (String last : LAST_NAMES) {
                if (!reserved.contains(first + " " + last)) {
                    combinations.add(new String[] {first, last});
                }
            }
        }
        Collections.shuffle(combinations, new Random(Seeds.mix(seed, -1)));
        return combinations.iterator();
    }

    /** The abbreviations of the teams of {@code nfl-teams.csv}. */
    static Set<String> teamAbbreviations() {
        Set<String> abbreviations = new HashSet<>();
        readTeams().forEach(team -> abbreviations.add(team.abbreviation()));
        return Set.copyOf(abbreviations);
    }

    private static List<Data.Team> readTeams() {
        InputStream in = LeagueGenerator.class.getResourceAsStream(TEAMS_FILE);
        Objects.requireNonNull(in, "resource " + TEAMS_FILE);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<Data.Team> teams = new ArrayList<>();
            reader.readLine(); // id,location,name,conference,division,espn_id
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] column = line.split(",", -1);
                teams.add(new Data.Team(
                        teams.size() + 1,
                        column[3],
                        column[4],
                        column[1],
                        column[2],
                        column[1] + " " + column[2],
                        column[0]));
            }
            return List.copyOf(teams);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TEAMS_FILE, e);
        }
    }

    private static int between(Random random, int low, int high) {
        return low + random.nextInt(high - low + 1);
    }

    /** As balldontlie writes it: {@code 6' 2"}. */
    static String height(int inches) {
        return inches / 12 + "' " + inches % 12 + "\"";
    }

    /** As balldontlie writes it: {@code 8th Season}. */
    static String experience(int seasons) {
        int lastTwo = seasons % 100;
        String suffix = lastTwo >= 11 && lastTwo <= 13
                ? "th"
                : switch (seasons % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return seasons + suffix + " Season";
    }

    /** The seasons {@code from} to {@code to}, both included, that a player played for {@code team}. */
    record Stint(String team, int from, int to) {}

    /** A player a test added, on {@code team} (an abbreviation) or on no team when null. */
    record Extra(String firstName, String lastName, String team) {}

    /**
     * A real player; {@code team} is the abbreviation, or null for a player on no team (retired,
     * with the teams of his past seasons in {@code career}).
     */
    record Named(
            long id,
            String firstName,
            String lastName,
            Position position,
            String team,
            int jersey,
            int heightInches,
            int weight,
            String college,
            int experience,
            int age,
            List<Stint> career) {

        Data.Player toPlayer(Data.Team on) {
            return new Data.Player(
                    id,
                    firstName,
                    lastName,
                    position.title,
                    position.name(),
                    height(heightInches),
                    weight + " lbs",
                    String.valueOf(jersey),
                    college,
                    LeagueGenerator.experience(experience),
                    age,
                    on);
        }
    }
}
