package io.huddle.sim;

/**
 * Positions with what the generator needs: how many of each a 53-man roster carries, which stat
 * groups apply, and plausible jersey, height (inches) and weight (pounds) ranges.
 */
enum Position {
    QB("Quarterback", 3, StatGroup.PASSER, 1, 19, 73, 77, 210, 240),
    RB("Running Back", 4, StatGroup.RUSHER, 20, 39, 68, 73, 195, 230),
    WR("Wide Receiver", 6, StatGroup.RECEIVER, 10, 19, 70, 76, 180, 215),
    TE("Tight End", 3, StatGroup.RECEIVER, 80, 89, 75, 79, 240, 265),
    OL("Offensive Lineman", 9, StatGroup.NONE, 60, 79, 75, 80, 295, 335),
    DL("Defensive Lineman", 9, StatGroup.DEFENDER, 90, 99, 74, 78, 270, 320),
    /** Only for named players; takes a {@link #DL} slot. */
    DE("Defensive End", 0, StatGroup.DEFENDER, 90, 99, 75, 78, 255, 285),
    /** Only for named players; takes a {@link #DL} slot. */
    DT("Defensive Tackle", 0, StatGroup.DEFENDER, 90, 99, 73, 77, 290, 330),
    LB("Linebacker", 7, StatGroup.DEFENDER, 40, 59, 73, 76, 230, 255),
    CB("Cornerback", 6, StatGroup.DEFENDER, 20, 39, 70, 74, 180, 200),
    S("Safety", 4, StatGroup.DEFENDER, 20, 49, 71, 74, 195, 215),
    K("Kicker", 1, StatGroup.NONE, 1, 9, 70, 74, 180, 205),
    P("Punter", 1, StatGroup.NONE, 1, 19, 72, 76, 200, 225);

    /** Which stat figures a position produces. */
    enum StatGroup {
        PASSER,
        RUSHER,
        RECEIVER,
        DEFENDER,
        NONE
    }

    final String title;
    final int perRoster;
    final StatGroup stats;
    final int jerseyLow;
    final int jerseyHigh;
    final int heightLow;
    final int heightHigh;
    final int weightLow;
    final int weightHigh;

    Position(
            String title,
            int perRoster,
            StatGroup stats,
            int jerseyLow,
            int jerseyHigh,
            int heightLow,
            int heightHigh,
            int weightLow,
            int weightHigh) {
        this.title = title;
        this.perRoster = perRoster;
        this.stats = stats;
        this.jerseyLow = jerseyLow;
        this.jerseyHigh = jerseyHigh;
        this.heightLow = heightLow;
        this.heightHigh = heightHigh;
        this.weightLow = weightLow;
        this.weightHigh = weightHigh;
    }

    /** The roster slot the position fills. */
    Position slot() {
        return this == DE || this == DT ? DL : this;
    }
}
