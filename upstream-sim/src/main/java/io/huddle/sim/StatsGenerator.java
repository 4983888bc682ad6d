package io.huddle.sim;

import java.util.SplittableRandom;

/**
 * Synthetic, seeded season lines: plausible for the position, not real. Named stars get starter-sized
 * volumes; filler players get a random share of them. Only the groups of the player's position are
 * filled; the others stay null so that the JSON omits them.
 */
final class StatsGenerator {
    private final long seed;

    StatsGenerator(long seed) {
        this.seed = seed;
    }

    Data.StatLine line(Data.Player player, int season, boolean star) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, player.id(), season));
        double share = star ? between(random, 0.85, 1.0) : between(random, 0.05, 0.8);
        int games = star ? random.nextInt(15, 18) : random.nextInt(4, 18);
        Position position = Position.valueOf(player.positionAbbreviation());
        Figures f = new Figures();
        switch (position.stats) {
            case PASSER -> passer(random, share, f);
            case RUSHER -> rusher(random, share, f);
            case RECEIVER -> receiver(random, share, position, f);
            case DEFENDER -> defender(random, share, position, f);
            case NONE -> {
                // kickers, punters and linemen: games only
            }
        }
        return new Data.StatLine(
                player,
                season,
                games,
                f.passingCompletions,
                f.passingAttempts,
                f.passingYards,
                f.passingTouchdowns,
                f.passingInterceptions,
                f.qbRating,
                f.rushingAttempts,
                f.rushingYards,
                f.rushingTouchdowns,
                f.receptions,
                f.receivingTargets,
                f.receivingYards,
                f.receivingTouchdowns,
                f.totalTackles,
                f.soloTackles,
                f.defensiveSacks,
                f.defensiveInterceptions,
                f.fumblesForced);
    }

    private static void passer(SplittableRandom random, double share, Figures f) {
        int attempts = Math.max(1, round(620 * share));
        f.passingAttempts = attempts;
        f.passingCompletions = round(attempts * between(random, 0.58, 0.70));
        f.passingYards = round(attempts * between(random, 6.2, 8.4));
        f.passingTouchdowns = round(attempts * between(random, 0.035, 0.07));
        f.passingInterceptions = round(attempts * between(random, 0.012, 0.03));
        f.qbRating = passerRating(
                attempts, f.passingCompletions, f.passingYards, f.passingTouchdowns, f.passingInterceptions);
        f.rushingAttempts = round(between(random, 20, 140) * share);
        f.rushingYards = round(f.rushingAttempts * between(random, 3, 7));
        f.rushingTouchdowns = round(f.rushingAttempts * between(random, 0, 0.06));
    }

    private static void rusher(SplittableRandom random, double share, Figures f) {
        f.rushingAttempts = round(300 * share);
        f.rushingYards = round(f.rushingAttempts * between(random, 3.6, 5.3));
        f.rushingTouchdowns = round(f.rushingAttempts * between(random, 0.02, 0.05));
        f.receivingTargets = round(70 * share);
        f.receptions = round(f.receivingTargets * between(random, 0.65, 0.8));
        f.receivingYards = round(f.receptions * between(random, 6, 9.5));
        f.receivingTouchdowns = round(f.receptions * between(random, 0, 0.06));
    }

    private static void receiver(SplittableRandom random, double share, Position position, Figures f) {
        f.receivingTargets = round((position == Position.TE ? 120 : 160) * share);
        f.receptions = round(f.receivingTargets * between(random, 0.58, 0.72));
        f.receivingYards = round(f.receptions * between(random, 10.5, 15.5));
        f.receivingTouchdowns = round(f.receptions * between(random, 0.04, 0.1));
    }

    private static void defender(SplittableRandom random, double share, Position position, Figures f) {
        boolean rusher = position.slot() == Position.DL || position == Position.LB;
        boolean coverage = position == Position.CB || position == Position.S;
        f.totalTackles = round(between(random, 30, 120) * share);
        f.soloTackles = round(f.totalTackles * between(random, 0.55, 0.75));
        double sacks = between(random, 0, rusher ? 17 : 2) * share;
        f.defensiveSacks = Math.round(sacks * 2) / 2.0;
        f.defensiveInterceptions = round(between(random, 0, coverage ? 6 : 1.5) * share);
        f.fumblesForced = round(between(random, 0, 4) * share);
    }

    /** The NFL passer rating, one decimal. */
    static double passerRating(int attempts, int completions, int yards, int touchdowns, int interceptions) {
        double a = clamp(((double) completions / attempts - 0.3) * 5);
        double b = clamp(((double) yards / attempts - 3) * 0.25);
        double c = clamp((double) touchdowns / attempts * 20);
        double d = clamp(2.375 - (double) interceptions / attempts * 25);
        return Math.round((a + b + c + d) / 6 * 1000) / 10.0;
    }

    private static double clamp(double part) {
        return Math.max(0, Math.min(2.375, part));
    }

    private static double between(SplittableRandom random, double low, double high) {
        return low + random.nextDouble() * (high - low);
    }

    private static int round(double value) {
        return (int) Math.round(value);
    }

    /** The figures of one line while it is being filled; null = the group does not apply. */
    private static final class Figures {
        Integer passingCompletions;
        Integer passingAttempts;
        Integer passingYards;
        Integer passingTouchdowns;
        Integer passingInterceptions;
        Double qbRating;
        Integer rushingAttempts;
        Integer rushingYards;
        Integer rushingTouchdowns;
        Integer receptions;
        Integer receivingTargets;
        Integer receivingYards;
        Integer receivingTouchdowns;
        Integer totalTackles;
        Integer soloTackles;
        Double defensiveSacks;
        Integer defensiveInterceptions;
        Integer fumblesForced;
    }
}
