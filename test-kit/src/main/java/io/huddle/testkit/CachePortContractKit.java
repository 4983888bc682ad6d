package io.huddle.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CachePort} must have. A backend's test extends this class and says how
 * to make a port; it passes when the backend keeps the contract:
 *
 * <pre>{@code
 * class CaffeineCachePortTest extends CachePortContractKit {
 *     protected CachePort createPort(ManualClock clock) {
 *         return CaffeineCachePort.builder().clock(clock).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Time moves through {@link #passTime}; a backend that keeps its own time (Redis expires keys by
 * its own clock) overrides it to wait, and {@link #keepFor()} to keep that wait short.
 */
public abstract class CachePortContractKit {
    /** A kind of plain text values. */
    protected static final DataKind<String> WORDS = DataKind.of("kit-words", String.class, policy());

    /** A kind of record values, to prove that a codec keeps structure. */
    protected static final DataKind<KitValue> RECORDS = DataKind.of("kit-records", KitValue.class, policy());

    /** A record value: what a real kind caches. */
    public record KitValue(String name, int number, List<String> tags) {}

    protected ManualClock clock;
    protected CachePort port;

    /** A new, empty port whose expiry follows {@code clock} where the backend can. */
    protected abstract CachePort createPort(ManualClock clock);

    /** Lets {@code duration} pass for the port. */
    protected void passTime(Duration duration) {
        clock.advance(duration);
    }

    /** The keep-for used by the expiry tests; they let 1.5 times it pass. */
    protected Duration keepFor() {
        return Duration.ofMinutes(10);
    }

    @BeforeEach
    void openPort() {
        clock = new ManualClock();
        port = createPort(clock);
    }

    @AfterEach
    void closePort() {
        port.close();
    }

    private static CachePolicy policy() {
        return CachePolicy.ofTtl(Duration.ofMinutes(5));
    }

    protected static CacheKey key(DataKind<?> kind, String id) {
        return new CacheKey(kind, id);
    }

    protected CacheEntry<String> word(String value) {
        Instant now = clock.instant();
        return CacheEntry.found(value, now, now.plusSeconds(60), now.plusSeconds(120), 3);
    }

    /** The value stored under the key; fails if there is none or it is a not-found entry. */
    protected Object valueAt(CacheKey key) {
        return port.get(key).orElseThrow().value().orElseThrow();
    }

    protected void store(CacheKey key, CacheEntry<?> entry) {
        port.put(key, entry, keepFor());
    }

    /**
     * Stores for an hour, whatever {@link #keepFor()} is: for tests that are not about expiry and may
     * take a while on a busy machine (a backend keeping its own time would expire a short keep-for
     * under them).
     */
    protected void storeLasting(CacheKey key, CacheEntry<?> entry) {
        port.put(key, entry, Duration.ofHours(1));
    }

    @Nested
    @DisplayName("get and put")
    class GetAndPut {
        @Test
        @DisplayName("a key never put is absent")
        void absentKey() {
            assertThat(port.get(key(WORDS, "never"))).isEmpty();
        }

        @Test
        @DisplayName("an entry put is read back with its value and every piece of metadata")
        void roundTrip() {
            CacheEntry<String> entry = word("Patrick Mahomes");
            store(key(WORDS, "15"), entry);

            CacheEntry<?> read = port.get(key(WORDS, "15")).orElseThrow();

            assertThat(read).isEqualTo(entry);
            assertThat(read.cost()).isEqualTo(3);
            assertThat(read.schemaVersion()).isEqualTo(CacheEntry.SCHEMA_VERSION);
            if (port.capabilities().contains(CachePort.Capability.STORES_OBJECTS)) {
                assertThat(read)
                        .as("a backend that stores objects never copies")
                        .isSameAs(entry);
            }
        }

        @Test
        @DisplayName("a record value keeps its structure")
        void recordValue() {
            Instant now = clock.instant();
            KitValue value = new KitValue("Josh Allen", 17, List.of("QB", "BUF"));
            store(key(RECORDS, "17"), CacheEntry.found(value, now, now.plusSeconds(60), now.plusSeconds(60), 1));

            assertThat(valueAt(key(RECORDS, "17"))).isEqualTo(value);
        }

        @Test
        @DisplayName("a second put replaces the first")
        void replace() {
            store(key(WORDS, "k"), word("first"));
            store(key(WORDS, "k"), word("second"));

            assertThat(valueAt(key(WORDS, "k"))).isEqualTo("second");
        }

        @Test
        @DisplayName("ids with odd characters are kept apart and read back")
        void oddIds() {
            List<String> ids = List.of(
                    "a:b",
                    "a",
                    "a b",
                    "a*",
                    "a?",
                    "[a]",
                    "a\\b",
                    "ä",
                    "Bjørn Ödegaard",
                    "名前",
                    "a:b:c",
                    "*",
                    "x".repeat(512));
            ids.forEach(id -> store(key(WORDS, id), word("value of " + id)));

            ids.forEach(id -> assertThat(valueAt(key(WORDS, id))).as(id).isEqualTo("value of " + id));
        }

        @Test
        @DisplayName("the same id in two kinds names two entries")
        void kindsApart() {
            Instant now = clock.instant();
            store(key(WORDS, "1"), word("one"));
            store(
                    key(RECORDS, "1"),
                    CacheEntry.found(
                            new KitValue("one", 1, List.of()), now, now.plusSeconds(1), now.plusSeconds(1), 1));

            assertThat(valueAt(key(WORDS, "1"))).isEqualTo("one");
            assertThat(valueAt(key(RECORDS, "1"))).isEqualTo(new KitValue("one", 1, List.of()));
        }

        @Test
        @DisplayName("a put with a zero keep-for removes the key")
        void zeroKeepFor() {
            store(key(WORDS, "k"), word("kept"));
            port.put(key(WORDS, "k"), word("gone"), Duration.ZERO);

            assertThat(port.get(key(WORDS, "k"))).isEmpty();
        }
    }

    @Nested
    @DisplayName("put if newer")
    class PutIfNewer {
        private CacheEntry<String> writtenAt(String value, Instant writtenAt) {
            return CacheEntry.found(value, writtenAt, writtenAt.plusSeconds(60), writtenAt.plusSeconds(120), 1);
        }

        @Test
        @DisplayName("stores an entry where there is none, or where the stored one is older")
        void storesOverOlder() {
            Instant now = clock.instant();
            assertThat(port.putIfNewer(key(WORDS, "k"), writtenAt("first", now.minusSeconds(10)), keepFor()))
                    .isTrue();
            assertThat(port.putIfNewer(key(WORDS, "k"), writtenAt("second", now), keepFor()))
                    .isTrue();

            assertThat(valueAt(key(WORDS, "k"))).isEqualTo("second");
        }

        @Test
        @DisplayName("never replaces an entry written at the same instant or later")
        void keepsNewer() {
            Instant now = clock.instant();
            store(key(WORDS, "k"), writtenAt("newer", now));

            assertThat(port.putIfNewer(key(WORDS, "k"), writtenAt("older", now.minusSeconds(10)), keepFor()))
                    .isFalse();
            assertThat(port.putIfNewer(key(WORDS, "k"), writtenAt("same time", now), keepFor()))
                    .isFalse();
            assertThat(valueAt(key(WORDS, "k"))).isEqualTo("newer");
        }
    }

    @Nested
    @DisplayName("enumerating entries")
    class Enumerating {
        @Test
        @DisplayName("a port that enumerates visits every entry it holds, with its metadata")
        void visitsEveryEntry() {
            CacheEntry<String> one = word("one");
            store(key(WORDS, "1"), one);
            store(key(WORDS, "2"), word("two"));
            store(
                    key(RECORDS, "3"),
                    CacheEntry.notFound(clock.instant(), clock.instant().plusSeconds(60), 1));
            Map<CacheKey, CacheEntry<?>> seen = new java.util.HashMap<>();

            if (!port.capabilities().contains(CachePort.Capability.ENUMERATES_ENTRIES)) {
                assertThatThrownBy(() -> port.forEachEntry(seen::put))
                        .isInstanceOf(UnsupportedOperationException.class);
                return;
            }
            port.forEachEntry(seen::put);

            assertThat(seen).containsOnlyKeys(key(WORDS, "1"), key(WORDS, "2"), key(RECORDS, "3"));
            assertThat(seen.get(key(WORDS, "1"))).isEqualTo(one);
            assertThat(seen.get(key(RECORDS, "3")).isNotFound()).isTrue();
        }

        @Test
        @DisplayName("visiting named kinds visits every entry of those kinds and none of the others")
        void visitsNamedKinds() {
            Instant now = clock.instant();
            KitValue value = new KitValue("Josh Allen", 17, List.of("QB"));
            CacheEntry<KitValue> record = CacheEntry.found(value, now, now.plusSeconds(60), now.plusSeconds(120), 2);
            storeLasting(key(WORDS, "1"), word("one"));
            storeLasting(key(RECORDS, "17"), record);
            storeLasting(key(RECORDS, "Bjørn Ödegaard:2024"), record);
            Map<CacheKey, CacheEntry<?>> seen = new java.util.HashMap<>();
            if (!port.capabilities().contains(CachePort.Capability.ENUMERATES_ENTRIES)) {
                assertThatThrownBy(() -> port.forEachEntry(List.of(RECORDS), seen::put))
                        .isInstanceOf(UnsupportedOperationException.class);
                return;
            }

            port.forEachEntry(List.of(RECORDS), seen::put);

            assertThat(seen).containsOnlyKeys(key(RECORDS, "17"), key(RECORDS, "Bjørn Ödegaard:2024"));
            assertThat(seen.get(key(RECORDS, "Bjørn Ödegaard:2024"))).isEqualTo(record);
        }

        @Test
        @DisplayName("an entry past its keep-for is not visited")
        void skipsExpired() {
            Assumptions.assumeTrue(port.capabilities().contains(CachePort.Capability.ENUMERATES_ENTRIES));
            port.put(key(WORDS, "short"), word("s"), keepFor());
            storeLasting(key(WORDS, "long"), word("l"));

            passTime(keepFor().multipliedBy(3).dividedBy(2));
            Map<CacheKey, CacheEntry<?>> seen = new java.util.HashMap<>();
            port.forEachEntry(List.of(WORDS), seen::put);

            assertThat(seen).containsOnlyKeys(key(WORDS, "long"));
        }
    }

    @Nested
    @DisplayName("get many")
    class GetMany {
        @Test
        @DisplayName("returns the entries present and leaves out the others")
        void some() {
            store(key(WORDS, "a"), word("A"));
            store(key(WORDS, "c"), word("C"));

            Map<CacheKey, CacheEntry<?>> found =
                    port.getAll(List.of(key(WORDS, "a"), key(WORDS, "b"), key(WORDS, "c")));

            assertThat(found).containsOnlyKeys(key(WORDS, "a"), key(WORDS, "c"));
            assertThat(found.get(key(WORDS, "c")).value().orElseThrow()).isEqualTo("C");
        }

        @Test
        @DisplayName("an empty request gives an empty map")
        void none() {
            assertThat(port.getAll(List.of())).isEmpty();
        }
    }

    @Nested
    @DisplayName("expiry")
    class Expiry {
        @Test
        @DisplayName("an entry is kept for its keep-for and then forgotten")
        void expires() {
            store(key(WORDS, "k"), word("v"));
            passTime(keepFor().dividedBy(2));
            assertThat(port.get(key(WORDS, "k"))).isPresent();

            passTime(keepFor());
            assertThat(port.get(key(WORDS, "k"))).isEmpty();
        }

        @Test
        @DisplayName("each entry expires by its own keep-for")
        void perEntry() {
            port.put(key(WORDS, "short"), word("s"), keepFor());
            port.put(key(WORDS, "long"), word("l"), keepFor().multipliedBy(10));

            passTime(keepFor().multipliedBy(3).dividedBy(2));

            assertThat(port.get(key(WORDS, "short"))).isEmpty();
            assertThat(port.get(key(WORDS, "long"))).isPresent();
        }

        @Test
        @DisplayName(
                "getOrNull gives what get gives while an entry is kept; after its keep-for, nothing or an entry past its stale-until")
        void getOrNull() {
            Instant now = clock.instant();
            // kept for exactly its own keep-for, as the engine keeps entries
            CacheEntry<String> entry =
                    CacheEntry.found("v", now, now.plus(keepFor().dividedBy(2)), now.plus(keepFor()), 1);
            port.put(key(WORDS, "k"), entry, entry.keepFor(now));

            assertThat(port.getOrNull(key(WORDS, "k")))
                    .isEqualTo(port.get(key(WORDS, "k")).orElseThrow());
            assertThat(port.getOrNull(key(WORDS, "absent"))).isNull();

            passTime(keepFor().multipliedBy(3).dividedBy(2));
            CacheEntry<?> late = port.getOrNull(key(WORDS, "k"));
            assertThat(late == null || !late.staleUntil().isAfter(clock.instant()))
                    .as("after its keep-for: %s", late)
                    .isTrue();
            assertThat(port.get(key(WORDS, "k"))).isEmpty();
        }

        @Test
        @DisplayName(
                "getOrNull by kind and id gives what getOrNull by key gives, and null for another kind or an id no key accepts")
        void getOrNullByKindAndId() {
            Instant now = clock.instant();
            CacheEntry<String> entry =
                    CacheEntry.found("v", now, now.plus(keepFor().dividedBy(2)), now.plus(keepFor()), 1);
            port.put(key(WORDS, "k"), entry, entry.keepFor(now));
            // an id built afresh, not the instance stored
            String sameId = new StringBuilder("k").toString();

            assertThat(port.getOrNull(WORDS, sameId)).isNotNull().isEqualTo(port.getOrNull(key(WORDS, "k")));
            assertThat(port.getOrNull(WORDS, "absent")).isNull();
            assertThat(port.getOrNull(RECORDS, "k")).isNull();
            for (String neverStored : List.of(" ", "", "a\nb", "x".repeat(CacheKey.MAX_ID_LENGTH + 1))) {
                assertThat(port.getOrNull(WORDS, neverStored))
                        .as("id '%s'", neverStored)
                        .isNull();
            }

            passTime(keepFor().multipliedBy(3).dividedBy(2));
            CacheEntry<?> late = port.getOrNull(WORDS, "k");
            assertThat(late == null || !late.staleUntil().isAfter(clock.instant()))
                    .as("after its keep-for: %s", late)
                    .isTrue();
        }
    }

    @Nested
    @DisplayName("invalidation")
    class Invalidation {
        @Test
        @DisplayName("invalidating a key removes only that key")
        void one() {
            store(key(WORDS, "a"), word("A"));
            store(key(WORDS, "b"), word("B"));

            port.invalidate(key(WORDS, "a"));

            assertThat(port.get(key(WORDS, "a"))).isEmpty();
            assertThat(port.get(key(WORDS, "b"))).isPresent();
        }

        @Test
        @DisplayName("invalidating a kind removes every entry of it and nothing of other kinds")
        void kind() {
            Instant now = clock.instant();
            for (int i = 0; i < 50; i++) {
                store(key(WORDS, "w" + i), word("w" + i));
            }
            store(
                    key(RECORDS, "r"),
                    CacheEntry.found(new KitValue("r", 0, List.of()), now, now.plusSeconds(1), now.plusSeconds(1), 1));

            port.invalidateKind(WORDS);

            for (int i = 0; i < 50; i++) {
                assertThat(port.get(key(WORDS, "w" + i))).isEmpty();
            }
            assertThat(port.get(key(RECORDS, "r"))).isPresent();
        }

        @Test
        @DisplayName("invalidating an absent key or an empty kind is harmless")
        void absent() {
            assertThatCode(() -> {
                        port.invalidate(key(WORDS, "never"));
                        port.invalidateKind(RECORDS);
                    })
                    .doesNotThrowAnyException();
        }
    }

    @Nested
    @DisplayName("not-found entries")
    class NotFound {
        @Test
        @DisplayName("a not-found entry is stored and read back as not found, with its cost")
        void roundTrip() {
            Instant now = clock.instant();
            store(key(WORDS, "Tom Brady"), CacheEntry.notFound(now, now.plusSeconds(300), 2));

            CacheEntry<?> read = port.get(key(WORDS, "Tom Brady")).orElseThrow();

            assertThat(read.isNotFound()).isTrue();
            assertThat(read.value()).isEmpty();
            assertThat(read.cost()).isEqualTo(2);
            assertThat(read.freshUntil()).isEqualTo(now.plusSeconds(300));
        }
    }

    @Nested
    @DisplayName("statistics")
    class Statistics {
        @Test
        @DisplayName("a backend that counts entries counts them per kind, and invalidation lowers the count")
        void entries() {
            boolean counts = port.capabilities().contains(CachePort.Capability.COUNTS_ENTRIES);
            for (int i = 0; i < 5; i++) {
                store(key(WORDS, "w" + i), word("w" + i));
            }
            port.invalidate(key(WORDS, "w0"));

            BackendStatistics statistics = port.statistics();

            assertThat(statistics.entries(WORDS.name())).isEqualTo(counts ? 4 : 0);
            assertThat(statistics.entries(RECORDS.name())).isZero();
            assertThat(statistics.evictions())
                    .as("invalidation is not eviction")
                    .isZero();
        }

        @Test
        @DisplayName("the backend names itself")
        void name() {
            assertThat(port.name()).isNotBlank();
        }
    }

    @Nested
    @DisplayName("after close")
    class AfterClose {
        @Test
        @DisplayName("every operation fails with a backend error, and closing again is harmless")
        void closed() {
            store(key(WORDS, "k"), word("v"));
            port.close();

            assertThatThrownBy(() -> port.get(key(WORDS, "k"))).isInstanceOf(CacheBackendException.class);
            assertThatThrownBy(() -> port.getAll(List.of(key(WORDS, "k")))).isInstanceOf(CacheBackendException.class);
            assertThatThrownBy(() -> store(key(WORDS, "k"), word("v"))).isInstanceOf(CacheBackendException.class);
            assertThatThrownBy(() -> port.invalidate(key(WORDS, "k"))).isInstanceOf(CacheBackendException.class);
            assertThatThrownBy(() -> port.invalidateKind(WORDS)).isInstanceOf(CacheBackendException.class);
            assertThatCode(port::close).doesNotThrowAnyException();
        }
    }

    @Nested
    @DisplayName("under concurrency")
    class Concurrency {
        @Test
        @DisplayName("eight threads writing and reading their own and shared keys lose nothing")
        void threads() throws Exception {
            int threads = 8;
            int keysPerThread = 200;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < keysPerThread; i++) {
                            storeLasting(key(WORDS, thread + "-" + i), word(thread + "-" + i));
                            storeLasting(key(WORDS, "shared-" + (i % 10)), word("shared"));
                            assertThat(port.get(key(WORDS, thread + "-" + i))).isPresent();
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get();
                }
            } finally {
                pool.shutdownNow();
            }
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < keysPerThread; i++) {
                    assertThat(valueAt(key(WORDS, t + "-" + i))).isEqualTo(t + "-" + i);
                }
            }
            assertThat(valueAt(key(WORDS, "shared-3"))).isEqualTo("shared");
        }
    }
}
