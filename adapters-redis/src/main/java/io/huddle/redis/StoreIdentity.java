package io.huddle.redis;

import io.huddle.core.spi.CachePort;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Which Redis server answers: its run id, which changes when it restarts (and with it, for a server
 * that keeps nothing on disk, every entry is gone). After a failure is seen (a command that could
 * not reach Redis, a subscription that dropped), the next command first asks for the run id and tells
 * the {@link CachePort.ReconnectListener listeners} that Redis answers again, and whether it lost its
 * entries, before that command runs: no command answers from a restarted Redis before they know.
 * Thread-safe.
 */
final class StoreIdentity {
    private final Supplier<Optional<String>> runId;
    private final List<CachePort.ReconnectListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean suspect;
    private String known;

    /** {@code runId} asks Redis for its run id (empty where it cannot tell, as on a Cluster); it may throw. */
    StoreIdentity(Supplier<Optional<String>> runId) {
        this.runId = runId;
    }

    /** Learns the run id now, if Redis answers; else at the first check. */
    void learn() {
        try {
            synchronized (this) {
                known = runId.get().orElse(null);
            }
        } catch (RuntimeException unreachable) {
            suspect = true;
        }
    }

    void listen(CachePort.ReconnectListener listener) {
        listeners.add(listener);
    }

    /** Redis could not be reached, or a subscription to it dropped: it may come back as another server. */
    void failed() {
        suspect = true;
    }

    /** Before a command: after a failure, finds out which Redis answers now and tells the listeners. */
    void beforeCommand() {
        if (!suspect) {
            return;
        }
        synchronized (this) {
            if (!suspect) {
                return;
            }
            Optional<String> now = runId.get();
            boolean lostEntries = known != null && now.isPresent() && !known.equals(now.get());
            now.ifPresent(id -> known = id);
            suspect = false;
            listeners.forEach(listener -> listener.reconnected(lostEntries));
        }
    }

    /** The {@code run_id} line of {@code INFO server}'s answer. */
    static Optional<String> runIdOf(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return Optional.of(line.substring("run_id:".length()).strip());
            }
        }
        return Optional.empty();
    }
}
