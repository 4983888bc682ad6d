package io.huddle.core.api;

import java.util.Objects;

/**
 * The address of one cached item: its kind and its id within the kind ({@code stats:1234:2024}).
 *
 * <p>An id is any non-blank text of at most {@value #MAX_ID_LENGTH} characters without control
 * characters; backends that build textual keys escape it themselves.
 *
 * <p>Two keys are equal when their kinds and ids are; the hash code is {@link #hashOf}, which a
 * backend looking a kind and an id up without building a key can compute as well.
 *
 * @param kind the kind of data
 * @param id the item's id within the kind
 */
public record CacheKey(DataKind<?> kind, String id) {
    /** The longest id accepted, in characters. */
    public static final int MAX_ID_LENGTH = 512;

    /**
     * @throws IllegalArgumentException if the id is blank, longer than {@value #MAX_ID_LENGTH}
     *     characters or holds a control character
     */
    public CacheKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        if (id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(
                    "id of a '" + kind + "' key must be at most " + MAX_ID_LENGTH + " characters, was " + id.length());
        }
        // one pass on the hot path: no control characters, at least one visible one
        boolean blank = true;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c > ' ' && c < 0x7f) {
                // visible ASCII, the usual case: neither a control character nor whitespace
                blank = false;
                continue;
            }
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("id of a '" + kind + "' key must not hold control characters");
            }
            blank &= Character.isWhitespace(c);
        }
        if (blank) {
            throw new IllegalArgumentException("id of a '" + kind + "' key must not be blank");
        }
    }

    /**
     * The hash code of the key of that kind and id, {@code 31 * kind.hashCode() + id.hashCode()},
     * without building the key (nor checking the id).
     */
    public static int hashOf(DataKind<?> kind, String id) {
        return 31 * kind.hashCode() + id.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheKey that && id.equals(that.id) && kind.equals(that.kind);
    }

    @Override
    public int hashCode() {
        return hashOf(kind, id);
    }

    @Override
    public String toString() {
        return kind.name() + ':' + id;
    }
}
