package io.huddle.core.spi;

/**
 * What a {@link LoadCoordinator} has done since it was made, for operators: an immutable snapshot.
 * An in-process coordinator leaves every count at zero; a distributed one counts its leases.
 *
 * @param leasesTaken loads this process led holding the shared lease of their key
 * @param waitsOnOtherServers loads this process waited for because another server held the lease
 * @param holdersLost waits that ended because the holder's lease expired without a value (it died,
 *     hung past its lease, or lost the store), after which the key was claimed again
 * @param leasesLost leases found no longer held when their load ended: expired, taken over, or
 *     removed by an invalidation; the load's value was not written over the newer state
 * @param fallbacks claims decided in this process alone because the shared store was unreachable
 */
public record CoordinatorStatistics(
        long leasesTaken, long waitsOnOtherServers, long holdersLost, long leasesLost, long fallbacks) {

    /** All zero. */
    public static final CoordinatorStatistics EMPTY = new CoordinatorStatistics(0, 0, 0, 0, 0);

    /** The counts of both added together: several coordinators (servers, engines) as one. */
    public CoordinatorStatistics plus(CoordinatorStatistics other) {
        return new CoordinatorStatistics(
                leasesTaken + other.leasesTaken,
                waitsOnOtherServers + other.waitsOnOtherServers,
                holdersLost + other.holdersLost,
                leasesLost + other.leasesLost,
                fallbacks + other.fallbacks);
    }

    /** These counts less {@code earlier}'s, never below zero: what happened between two snapshots. */
    public CoordinatorStatistics minus(CoordinatorStatistics earlier) {
        return new CoordinatorStatistics(
                Math.max(0, leasesTaken - earlier.leasesTaken),
                Math.max(0, waitsOnOtherServers - earlier.waitsOnOtherServers),
                Math.max(0, holdersLost - earlier.holdersLost),
                Math.max(0, leasesLost - earlier.leasesLost),
                Math.max(0, fallbacks - earlier.fallbacks));
    }
}
