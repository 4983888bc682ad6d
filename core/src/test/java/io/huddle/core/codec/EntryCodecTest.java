package io.huddle.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.CachePortContractKit.KitValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The entry codec")
class EntryCodecTest {
    private static final CachePolicy POLICY =
            CachePolicy.builder(Duration.ofMinutes(1)).build();
    private static final DataKind<KitValue> RECORDS = DataKind.of("codec-records", KitValue.class, POLICY);
    private static final DataKind<String> WORDS = DataKind.of("codec-words", String.class, POLICY);
    private static final Instant T0 = Instant.parse("2024-11-20T18:00:00.123456789Z");

    private final EntryCodec codec = EntryCodec.json();
    private final CacheKey key = new CacheKey(RECORDS, "mahomes:2024");

    @Test
    @DisplayName("gives back an entry holding a value exactly as it was, to the nanosecond")
    void roundTripsAValue() {
        CacheEntry<KitValue> entry = CacheEntry.found(
                new KitValue("Patrick Mahomes", 15, List.of("QB", "KC")),
                T0,
                T0.plus(Duration.ofHours(1)),
                T0.plus(Duration.ofDays(1)),
                3);

        assertThat(codec.decode(key, codec.encode(key, entry))).contains(entry);
        assertThat(codec.unreadable()).isEmpty();
    }

    @Test
    @DisplayName("gives back a not-found entry as not found")
    void roundTripsNotFound() {
        CacheEntry<KitValue> entry = CacheEntry.notFound(T0, T0.plus(Duration.ofMinutes(10)), 1);

        assertThat(codec.decode(key, codec.encode(key, entry)))
                .hasValueSatisfying(decoded -> assertThat(decoded.isNotFound()).isTrue())
                .contains(entry);
    }

    @Test
    @DisplayName("writes a JSON envelope naming the schema, the written-at millis, the kind and the id")
    void writesAnEnvelope() {
        CacheKey word = new CacheKey(WORDS, "a\"b");
        CacheEntry<String> hello = entry("hello");
        String json = new String(codec.encode(word, hello), StandardCharsets.UTF_8);

        assertThat(json)
                .startsWith("{\"schema\":" + CacheEntry.SCHEMA_VERSION + ",\"writtenAtMillis\":"
                        + hello.writtenAt().toEpochMilli() + ",\"kind\":\"codec-words\",\"id\":\"a\\\"b\"")
                .contains("\"value\":\"hello\"");
    }

    @Test
    @DisplayName(
            "reads corrupt bytes, other JSON, another schema, another key or a mistyped value as absent, and counts each")
    void readsUnreadableAsAbsent() {
        byte[] good = codec.encode(key, entry(new KitValue("x", 1, List.of())));
        String text = new String(good, StandardCharsets.UTF_8);
        List<byte[]> bad = List.of(
                new byte[] {(byte) 0xff, 0x00, 0x13},
                "".getBytes(StandardCharsets.UTF_8),
                "[1,2]".getBytes(StandardCharsets.UTF_8),
                text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8),
                text.replace("\"schema\":1", "\"schema\":0").getBytes(StandardCharsets.UTF_8),
                text.replace("\"schema\":1,", "").getBytes(StandardCharsets.UTF_8),
                text.replace("mahomes:2024", "allen:2024").getBytes(StandardCharsets.UTF_8),
                text.replace("\"number\":1", "\"number\":\"one\"").getBytes(StandardCharsets.UTF_8),
                text.replace("\"cost\":1", "\"cost\":-4").getBytes(StandardCharsets.UTF_8),
                text.replace("2024-11-20T18:00:00.123456789Z", "yesterday").getBytes(StandardCharsets.UTF_8),
                text.replace("\"found\":true", "\"found\":\"yes\"").getBytes(StandardCharsets.UTF_8));

        for (byte[] bytes : bad) {
            assertThat(codec.decode(key, bytes))
                    .as(new String(bytes, StandardCharsets.UTF_8))
                    .isEmpty();
        }
        assertThat(codec.unreadable()).containsEntry("codec-records", (long) bad.size());
        assertThat(codec.decode(key, good)).isPresent();
    }

    @Test
    @DisplayName("ignores a value field it does not know, so a newer writer does not make entries unreadable")
    void ignoresUnknownFields() {
        byte[] good = codec.encode(key, entry(new KitValue("x", 1, List.of())));
        String newer = new String(good, StandardCharsets.UTF_8).replace("\"number\":1", "\"number\":1,\"added\":true");

        assertThat(codec.decode(key, newer.getBytes(StandardCharsets.UTF_8))).isPresent();
    }

    @Test
    @DisplayName("refuses a value that cannot be written as JSON with a backend error")
    void refusesUnencodableValues() {
        DataKind<Object> objects = DataKind.of("codec-objects", Object.class, POLICY);
        CacheKey odd = new CacheKey(objects, "x");

        assertThatThrownBy(() -> codec.encode(odd, entry(new Object())))
                .isInstanceOf(CacheBackendException.class)
                .hasMessageContaining("codec-objects:x");
    }

    private static <V> CacheEntry<V> entry(V value) {
        return CacheEntry.found(value, T0, T0.plusSeconds(60), T0.plusSeconds(120), 1);
    }
}
