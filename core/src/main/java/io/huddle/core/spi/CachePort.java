package io.huddle.core.spi;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The storage SPI that backends implement: it keeps {@link CacheEntry entries}, not bare values.
 *
 * <p>A port never decides freshness: it keeps an entry for the keep-for duration given on
 * {@link #put} and then forgets it; the engine reads the entry's own instants. What a backend can
 * and cannot do is declared in {@link #capabilities()}, not discovered through exceptions.
 *
 * <p>Errors: every failure of the backend (connection refused, disk full, closed port) is thrown as
 * {@link CacheBackendException}, never as the backend library's own type. An entry that cannot be
 * decoded, or was written with another schema version, is reported as absent, not thrown.
 *
 * <p>Implementations are thread-safe. Every implementation passes the contract kit in core's
 * module huddle-test-kit ({@code io.huddle.testkit.CachePortContractKit}).
 */
public interface CachePort extends AutoCloseable {

    /** What a backend can do; see {@link #capabilities()}. */
    enum Capability {
        /** Keeps the entry object as is: a hit returns the instance that was put, never a copy. */
        STORES_OBJECTS,
        /** Shared by every process connected to the same backend. */
        SHARED_ACROSS_PROCESSES,
        /** Entries survive the process closing and reopening the backend. */
        SURVIVES_RESTART,
        /** {@link #statistics()} reports how many entries each kind holds. */
        COUNTS_ENTRIES,
        /** {@link #forEachEntry} visits every entry the port holds. */
        ENUMERATES_ENTRIES
    }

    /**
     * Told by a port shared across processes when it reaches its store again after failing to, before
     * any command of the port answers from the store again. Called on the thread of that command:
     * keep it short.
     */
    @FunctionalInterface
    interface ReconnectListener {
        /**
         * The store answers again; {@code storeLostEntries} when it is not the store it was (it
         * restarted, and whatever it held before is gone).
         */
        void reconnected(boolean storeLostEntries);
    }

    /** A short name for logs and errors, such as {@code caffeine} or {@code redis}. */
    String name();

    /** The entry stored for the key, or empty if there is none, it has expired, or it is unreadable. */
    Optional<CacheEntry<?>> get(CacheKey key);

    /**
     * As {@link #get}, with null for no entry, for a caller that checks the entry's instants itself:
     * what the engine's hit path calls. It may also return an entry whose keep-for has passed and
     * that the port has not removed yet; a caller that stores entries for their own keep-for ({@link
     * CacheEntry#keepFor}), as the engine does, then sees it past its {@link CacheEntry#staleUntil()}
     * and must treat it as no entry. A port whose reads cost little (an in-process one) overrides it
     * to spare the hit an {@code Optional} and a clock reading of its own.
     */
    default CacheEntry<?> getOrNull(CacheKey key) {
        return get(key).orElse(null);
    }

    /**
     * As {@link #getOrNull(CacheKey)} for the key of that kind and id, for a caller that has not
     * built the key: the engine's hit path, which checks the id only when it must load. The id is
     * not checked: one that no {@link CacheKey} accepts (blank, too long, with control characters)
     * was never stored, so the port returns null for it and never throws because of it. The default
     * builds the key; a port whose lookups cost little (an in-process one) overrides it to spare
     * the hit that key and its checks.
     */
    default CacheEntry<?> getOrNull(DataKind<?> kind, String id) {
        CacheKey key;
        try {
            key = new CacheKey(kind, id);
        } catch (IllegalArgumentException neverStored) {
            return null;
        }
        return getOrNull(key);
    }

    /**
     * The entry stored for the key as the backend holds it now: what {@link #get} returns, except
     * that a port which keeps copies or shares reads in flight (a tiered port) reads its shared store
     * afresh. The engine calls it just before it loads a key, to see a value another server wrote
     * meanwhile; the default is {@link #get}.
     */
    default Optional<CacheEntry<?>> getLatest(CacheKey key) {
        return get(key);
    }

    /**
     * The entries stored for the keys; keys without an entry are absent from the map. The default
     * asks one key at a time; backends with a batch read override it.
     */
    default Map<CacheKey, CacheEntry<?>> getAll(Collection<CacheKey> keys) {
        Map<CacheKey, CacheEntry<?>> found = new LinkedHashMap<>();
        for (CacheKey key : keys) {
            get(key).ifPresent(entry -> found.put(key, entry));
        }
        return found;
    }

    /**
     * Stores the entry, replacing any other, and keeps it for {@code keepFor}. A zero keep-for
     * removes the key.
     */
    void put(CacheKey key, CacheEntry<?> entry, Duration keepFor);

    /**
     * Stores the entry like {@link #put}, but only while the fence holds: a port shared across
     * processes checks, atomically with the write, that the key's lease still holds the fence's
     * token, and stores nothing otherwise. A port that keeps no leases stores the entry as
     * {@link #put} does; the default does that.
     *
     * @return whether the entry was stored
     */
    default boolean putFenced(CacheKey key, CacheEntry<?> entry, Duration keepFor, Fence fence) {
        put(key, entry, keepFor);
        return true;
    }

    /**
     * Stores the entry like {@link #put} unless the port holds an entry for the key written at or
     * after the entry's {@link CacheEntry#writtenAt()}: for writing back entries after the shared
     * store lost them, and for a load's late result, neither of which may replace anything newer. A
     * port shared across processes checks and writes in one atomic step; the default reads, then
     * writes.
     *
     * @return whether the entry was stored
     */
    default boolean putIfNewer(CacheKey key, CacheEntry<?> entry, Duration keepFor) {
        Optional<CacheEntry<?>> current = get(key);
        if (current.isPresent() && !current.get().writtenAt().isBefore(entry.writtenAt())) {
            return false;
        }
        put(key, entry, keepFor);
        return true;
    }

    /** Removes the key's entry, if any. */
    void invalidate(CacheKey key);

    /** Removes every entry of the kind. */
    void invalidateKind(DataKind<?> kind);

    /**
     * Forgets the copy of the key that only this process holds, because another process said it
     * changed (see {@link InvalidationBus}). A port whose entries are all shared across processes
     * holds no such copy and does nothing; a port private to the process removes the entry; a tiered
     * port removes it from its local tier only. The default does the first two.
     */
    default void forgetLocal(CacheKey key) {
        if (!capabilities().contains(Capability.SHARED_ACROSS_PROCESSES)) {
            invalidate(key);
        }
    }

    /** Like {@link #forgetLocal(CacheKey)}, for every entry of the kind. */
    default void forgetLocal(DataKind<?> kind) {
        if (!capabilities().contains(Capability.SHARED_ACROSS_PROCESSES)) {
            invalidateKind(kind);
        }
    }

    /**
     * Messages about changes may have been lost (see {@link InvalidationBus}): the copies only this
     * process holds may be out of date. A near cache keeps them as {@link CacheEntry#unverified()
     * unverified} copies, the fallback of stale-if-error; a port private to the process drops the
     * given kinds (the default, through {@link #forgetLocal(DataKind)}); a shared port does nothing.
     */
    default void distrustLocal(Collection<? extends DataKind<?>> kinds) {
        kinds.forEach(this::forgetLocal);
    }

    /**
     * Visits every entry the port holds now and has not expired, for writing them elsewhere (a
     * write-back, a snapshot); a port without {@link Capability#ENUMERATES_ENTRIES} throws {@link
     * UnsupportedOperationException}. Entries written during the visit may or may not be seen.
     *
     * <p>A port that keeps entries as bytes (Redis, Ehcache) needs an entry's kind to decode its
     * value: this method visits the entries of the kinds of the entries it has read or written in this
     * process; {@link #forEachEntry(Collection, BiConsumer)} names the kinds, for a port
     * reopened on a store that holds entries of kinds not met yet. Entries that cannot be decoded are
     * skipped and counted as unreadable in {@link #statistics()}.
     */
    default void forEachEntry(BiConsumer<CacheKey, CacheEntry<?>> action) {
        throw new UnsupportedOperationException(name() + " cannot enumerate its entries");
    }

    /**
     * As {@link #forEachEntry(BiConsumer)}, for the entries of the given kinds only, whether or not
     * the port has met them in this process. The default filters what {@link
     * #forEachEntry(BiConsumer)} visits; a port that keeps bytes reads exactly those kinds.
     *
     * @throws UnsupportedOperationException if the port does not {@link Capability#ENUMERATES_ENTRIES
     *     enumerate its entries}
     */
    default void forEachEntry(Collection<? extends DataKind<?>> kinds, BiConsumer<CacheKey, CacheEntry<?>> action) {
        Set<DataKind<?>> wanted = Set.copyOf(Objects.requireNonNull(kinds, "kinds"));
        Objects.requireNonNull(action, "action");
        forEachEntry((key, entry) -> {
            if (wanted.contains(key.kind())) {
                action.accept(key, entry);
            }
        });
    }

    /**
     * Registers a listener told when the port reaches its shared store again after failing to (see
     * {@link ReconnectListener}). A port that is not shared never calls it; the default ignores it.
     */
    default void onReconnect(ReconnectListener listener) {}

    /** The backend's own counts; see {@link BackendStatistics}. */
    BackendStatistics statistics();

    /** What this backend can do. */
    Set<Capability> capabilities();

    /**
     * Releases the backend's resources. Idempotent; afterwards every other method throws {@link
     * CacheBackendException}.
     */
    @Override
    void close();
}
