package io.huddle.core.tiered;

import io.huddle.core.api.CacheKey;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * Reads of the remote tier that keep what they found locally; a read of a key already under way is
 * shared when nothing changed the key since it began. Thread-safe.
 */
final class RemoteReads {
    private final CachePort remote;
    private final LocalCopies local;
    private final ConcurrentMap<CacheKey, RemoteRead> reading = new ConcurrentHashMap<>();

    RemoteReads(CachePort remote, LocalCopies local) {
        this.remote = remote;
        this.local = local;
    }

    /**
     * Reads the key from the remote tier, sharing the read with the callers that ask for the same key
     * while it is under way (a burst of users on one cold key costs one round trip per server, not
     * one each). A read under way is joined only if its key was not written or invalidated since it
     * began, so a joiner never gets an answer older than its own question.
     */
    Optional<CacheEntry<?>> shared(CacheKey key) {
        long before = local.changes.of(key);
        RemoteRead mine = new RemoteRead(before, new CompletableFuture<>());
        RemoteRead running = reading.putIfAbsent(key, mine);
        if (running != null) {
            return running.since == before ? running.join() : read(key, before);
        }
        try {
            Optional<CacheEntry<?>> far = read(key, before);
            mine.result.complete(far);
            return far;
        } catch (RuntimeException | Error e) {
            mine.result.completeExceptionally(e);
            throw e;
        } finally {
            reading.remove(key, mine);
        }
    }

    /** Reads the key afresh, keeping the entry found locally unless the key changed since {@code changesBefore}. */
    Optional<CacheEntry<?>> read(CacheKey key, long changesBefore) {
        Optional<CacheEntry<?>> far = remote.get(key);
        far.ifPresent(entry -> local.keepRead(key, entry, changesBefore));
        return far;
    }

    /** Reads the key afresh, never joining a read under way. */
    Optional<CacheEntry<?>> latest(CacheKey key) {
        return read(key, local.changes.of(key));
    }

    /** A remote read under way, and the count of its key's changes when it began. */
    private record RemoteRead(long since, CompletableFuture<Optional<CacheEntry<?>>> result) {
        Optional<CacheEntry<?>> join() {
            try {
                return result.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CacheBackendException("tiered", "interrupted while reading the remote tier", e);
            }
        }
    }
}
