package io.huddle.redis;

import io.huddle.core.spi.Invalidation;
import java.util.Optional;

/**
 * The wire format of the {@link RedisInvalidationBus}: a message is lines of text, format version
 * ({@value #FORMAT}), publisher id, sequence number, origin, scope ({@code key}, {@code kind}, {@code
 * all} or {@code beat}), kind, id. Ids hold no control characters ({@code CacheKey} forbids them), so
 * a line break separates fields safely. A heartbeat carries its publisher's latest number and no
 * invalidation. Stateless.
 */
final class BusMessages {
    static final String FORMAT = "1";
    static final String KEY = "key";
    static final String KIND = "kind";
    static final String ALL = "all";
    static final String BEAT = "beat";

    private static final int FIELDS = 7;

    private BusMessages() {}

    /**
     * A message read from the channel; {@code invalidation} is null for a heartbeat.
     *
     * @param publisher the id of the bus that sent it
     * @param sequence its number among that bus's messages; a heartbeat's is the latest sent
     */
    record Message(String publisher, long sequence, Invalidation invalidation) {
        boolean isBeat() {
            return invalidation == null;
        }
    }

    /**
     * The fields of an invalidation after the publisher and the number (origin, scope, kind, id),
     * checked before anything is sent.
     *
     * @throws IllegalArgumentException if the origin, the kind or the id holds a line break
     */
    static String body(Invalidation invalidation) {
        String scope = invalidation.isEverything() ? ALL : invalidation.id().isPresent() ? KEY : KIND;
        return lineFree("origin", invalidation.origin())
                + '\n'
                + scope
                + '\n'
                + lineFree("kind", invalidation.kind().orElse(""))
                + '\n'
                + lineFree("id", invalidation.id().orElse(""));
    }

    /** The body of a heartbeat. */
    static String beatBody() {
        return "\n" + BEAT + "\n\n";
    }

    /** The whole message: the publisher's id and the number before the body. */
    static String text(String publisherId, long number, String body) {
        return FORMAT + '\n' + publisherId + '\n' + number + '\n' + body;
    }

    /** The message in {@code text}, or empty if it is not one this format can read. */
    static Optional<Message> read(String text) {
        String[] fields = text.split("\n", -1);
        if (fields.length != FIELDS || !fields[0].equals(FORMAT) || fields[1].isEmpty()) {
            return Optional.empty();
        }
        long number;
        try {
            number = Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String origin = fields[3];
        String scope = fields[4];
        String kind = fields[5];
        String id = fields[6];
        boolean valid = switch (scope) {
            case BEAT -> number >= 0 && origin.isEmpty() && kind.isEmpty() && id.isEmpty();
            case ALL -> number > 0 && !origin.isEmpty() && kind.isEmpty() && id.isEmpty();
            case KIND -> number > 0 && !origin.isEmpty() && !kind.isEmpty() && id.isEmpty();
            case KEY -> number > 0 && !origin.isEmpty() && !kind.isEmpty() && !id.isEmpty();
            default -> false;
        };
        if (!valid) {
            return Optional.empty();
        }
        Invalidation invalidation = scope.equals(BEAT) ? null : new Invalidation(origin, optional(kind), optional(id));
        return Optional.of(new Message(fields[1], number, invalidation));
    }

    private static String lineFree(String field, String value) {
        if (value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an invalidation's " + field + " must not hold a line break");
        }
        return value;
    }

    private static Optional<String> optional(String field) {
        return field.isEmpty() ? Optional.empty() : Optional.of(field);
    }
}
