package io.huddle.core.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.BackendStatistics;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.KindCounter;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link CacheEntry entries} into bytes and back, for backends that keep them outside the
 * process (Redis) or on disk (Ehcache): a UTF-8 JSON envelope carrying the schema version, the key,
 * the entry's instants and cost, and the value as JSON.
 *
 * <pre>{@code
 * {"schema":1,"writtenAtMillis":1732125600000,"kind":"stats","id":"4412:2024",
 *  "writtenAt":"2024-11-20T18:00:00Z","freshUntil":"2024-11-20T19:00:00Z",
 *  "staleUntil":"2024-11-21T19:00:00Z","cost":1,"found":true,"value":{...}}
 * }</pre>
 *
 * <p>{@code writtenAtMillis} repeats {@code writtenAt} as a number, so that a store's script can
 * compare two entries' ages without parsing dates (Redis's conditional write-back); readers ignore it.
 *
 * <p>Decoding never throws: bytes that are not such an envelope, an envelope of another schema
 * version, one written for another key, or a value that does not map to the kind's value type give
 * an empty result and are counted per kind in {@link #unreadable()}, so that the backend can report
 * them in its {@link BackendStatistics} and the engine treats them as a miss that the next load
 * replaces. Values must be Jackson-mappable (records of plain fields are).
 *
 * <p>Each backend owns its codec, so that its counts are its own. Thread-safe.
 */
public final class EntryCodec {
    private static final Logger log = LoggerFactory.getLogger(EntryCodec.class);

    private final ObjectMapper mapper;
    private final KindCounter unreadable = new KindCounter();
    /** The kinds of the keys encoded or decoded, by name: what a port enumerates by default. */
    private final ConcurrentMap<String, DataKind<?>> kindsMet = new ConcurrentHashMap<>();

    private EntryCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * A codec with Huddle's mapper: java.time types as ISO-8601 text, unknown value fields ignored
     * (a newer writer's added field does not make an entry unreadable).
     */
    public static EntryCodec json() {
        return using(JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build());
    }

    /** A codec with the application's own mapper, for value types that need its modules. */
    public static EntryCodec using(ObjectMapper mapper) {
        return new EntryCodec(Objects.requireNonNull(mapper, "mapper"));
    }

    /**
     * The entry as envelope bytes.
     *
     * @throws CacheBackendException if the value cannot be written as JSON
     */
    public byte[] encode(CacheKey key, CacheEntry<?> entry) {
        meet(key.kind());
        Envelope envelope = new Envelope(
                entry.schemaVersion(),
                millisOf(entry.writtenAt()),
                key.kind().name(),
                key.id(),
                entry.writtenAt().toString(),
                entry.freshUntil().toString(),
                entry.staleUntil().toString(),
                entry.cost(),
                !entry.isNotFound(),
                entry.rawValue());
        try {
            return mapper.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new CacheBackendException(
                    "entry-codec", "cannot encode the value of " + key + " as JSON: " + e.getMessage(), e);
        }
    }

    /** The envelope as written, in one pass; the value is left out of a "not found" entry. */
    @JsonPropertyOrder({
        "schema",
        "writtenAtMillis",
        "kind",
        "id",
        "writtenAt",
        "freshUntil",
        "staleUntil",
        "cost",
        "found",
        "value"
    })
    private record Envelope(
            int schema,
            long writtenAtMillis,
            String kind,
            String id,
            String writtenAt,
            String freshUntil,
            String staleUntil,
            int cost,
            boolean found,
            @JsonInclude(JsonInclude.Include.NON_NULL) Object value) {}

    /**
     * The entry the bytes hold for the key, or empty (and counted as unreadable) when they are not a
     * readable envelope of this schema version written for this key.
     */
    public Optional<CacheEntry<?>> decode(CacheKey key, byte[] bytes) {
        meet(key.kind());
        try {
            JsonNode envelope = mapper.readTree(bytes);
            if (envelope == null || !envelope.isObject()) {
                return unreadable(key, "not a JSON object");
            }
            int schema = envelope.path("schema").asInt(-1);
            if (schema != CacheEntry.SCHEMA_VERSION) {
                return unreadable(key, "schema version " + schema + ", this build reads " + CacheEntry.SCHEMA_VERSION);
            }
            if (!key.kind().name().equals(envelope.path("kind").asText())
                    || !key.id().equals(envelope.path("id").asText())) {
                return unreadable(key, "written for another key");
            }
            JsonNode found = envelope.get("found");
            JsonNode value = envelope.get("value");
            if (found == null || !found.isBoolean() || (found.booleanValue() && (value == null || value.isNull()))) {
                return unreadable(key, "no value and no not-found marker");
            }
            Object decoded =
                    found.booleanValue() ? mapper.treeToValue(value, key.kind().valueType()) : null;
            return Optional.of(CacheEntry.restore(
                    decoded,
                    instant(envelope, "writtenAt"),
                    instant(envelope, "freshUntil"),
                    instant(envelope, "staleUntil"),
                    envelope.path("cost").asInt(-1),
                    schema));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            return unreadable(key, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * The kinds of every key this codec has encoded or decoded since it was made: the kinds a port
     * that keeps bytes enumerates when it is not told which (see {@link
     * io.huddle.core.spi.CachePort#forEachEntry(java.util.function.BiConsumer)}).
     */
    public Collection<DataKind<?>> kindsMet() {
        return List.copyOf(kindsMet.values());
    }

    /**
     * Counts an entry of the kind as unreadable without decoding it: for a port that finds bytes
     * under a key it cannot even turn into a {@link CacheKey} (written by something else).
     */
    public void countUnreadable(DataKind<?> kind, String why) {
        unreadable.increment(kind);
        log.debug("unreadable cache entry of kind {}: {}", kind, why);
    }

    private void meet(DataKind<?> kind) {
        if (!kindsMet.containsKey(kind.name())) {
            kindsMet.putIfAbsent(kind.name(), kind);
        }
    }

    /** Entries that could not be decoded since the codec was made, by kind name. */
    public Map<String, Long> unreadable() {
        return unreadable.snapshot();
    }

    private Optional<CacheEntry<?>> unreadable(CacheKey key, String why) {
        unreadable.increment(key.kind());
        log.debug("unreadable cache entry {}: {}", key, why);
        return Optional.empty();
    }

    /** Milliseconds since the epoch, saturated for instants beyond a long's range of them. */
    public static long millisOf(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException outOfRange) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static Instant instant(JsonNode envelope, String field) {
        JsonNode node = envelope.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("no " + field);
        }
        return Instant.parse(node.textValue());
    }
}
