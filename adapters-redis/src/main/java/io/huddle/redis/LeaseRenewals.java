package io.huddle.redis;

import io.huddle.core.internal.DaemonThreads;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases this process holds, renewed four times a lease time (so a holder keeps its lease through
 * a stall of three quarters of it) for at most the longest load time, alone on a thread of their own
 * so that slow checks and reads cannot delay them: in one script on a standalone Redis, so that
 * renewals never queue behind one another, one lease at a time on a Cluster. A lease found no longer
 * holding its token is dropped. Thread-safe.
 */
final class LeaseRenewals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseRenewals.class);

    private final LeaseProtocol protocol;
    private final boolean oneAtATime;
    private final long leaseMillis;
    private final long maxLoadNanos;
    private final ConcurrentMap<String, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;

    LeaseRenewals(LeaseProtocol protocol, boolean cluster, long leaseMillis, long maxLoadNanos, String threadName) {
        this.protocol = protocol;
        this.oneAtATime = cluster;
        this.leaseMillis = leaseMillis;
        this.maxLoadNanos = maxLoadNanos;
        this.renewer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(threadName));
        long renewEvery = Math.max(1, leaseMillis / 4);
        renewer.scheduleAtFixedRate(this::renewAll, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    }

    /** Renews the lease from now on, until {@link #stop} or the longest load time. */
    void hold(String lease, String token) {
        held.put(lease, new Held(token, System.nanoTime()));
    }

    /** Stops renewing the lease. */
    void stop(String lease) {
        held.remove(lease);
    }

    private void renewAll() {
        long now = System.nanoTime();
        Map<String, Held> renewing = new LinkedHashMap<>();
        held.forEach((lease, holding) -> {
            if (now - holding.sinceNanos > maxLoadNanos) {
                held.remove(lease, holding);
                log.warn("a load has held lease {} longer than the longest load time; it is no longer renewed", lease);
            } else {
                renewing.put(lease, holding);
            }
        });
        if (renewing.isEmpty()) {
            return;
        }
        try {
            if (oneAtATime) {
                renewing.forEach((lease, holding) -> {
                    if (!protocol.renew(lease, holding.token, leaseMillis)) {
                        held.remove(lease, holding);
                    }
                });
                return;
            }
            Map<String, String> tokens = new LinkedHashMap<>();
            renewing.forEach((lease, holding) -> tokens.put(lease, holding.token));
            List<String> leases = List.copyOf(tokens.keySet());
            List<Boolean> renewed = protocol.renewAll(tokens, leaseMillis);
            for (int i = 0; i < leases.size(); i++) {
                if (!renewed.get(i)) {
                    held.remove(leases.get(i), renewing.get(leases.get(i)));
                }
            }
        } catch (RuntimeException e) {
            // a failure of any kind must not stop the renewals to come
            log.debug("cannot renew {} leases: {}", renewing.size(), e.getMessage());
        }
    }

    /** Stops renewing every lease. */
    @Override
    public void close() {
        renewer.shutdownNow();
        held.clear();
    }

    /** A lease this process holds, for renewal. */
    private record Held(String token, long sinceNanos) {}
}
