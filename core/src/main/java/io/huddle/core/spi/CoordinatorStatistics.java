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
}
