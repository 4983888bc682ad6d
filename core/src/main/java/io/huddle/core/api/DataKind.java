package io.huddle.core.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A category of cached data, such as "player stats", with the type of its values and its default
 * {@link CachePolicy}.
 *
 * <p>Two kinds are equal when their names are equal; a name is lower-case letters, digits and
 * dashes, 1 to 64 characters, so that it can stand in a backend key ({@code huddle:1:stats:...})
 * without escaping. Instances are immutable and thread-safe.
 *
 * @param <V> the type of the values cached under this kind
 */
public final class DataKind<V> {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final String name;
    private final Class<V> valueType;
    private final CachePolicy defaultPolicy;

    private DataKind(String name, Class<V> valueType, CachePolicy defaultPolicy) {
        this.name = name;
        this.valueType = valueType;
        this.defaultPolicy = defaultPolicy;
    }

    /**
     * Creates a kind.
     *
     * @param name lower-case letters, digits and dashes, 1 to 64 characters, starting with a letter
     *     or digit
     * @param valueType the class of the cached values; a remote backend decodes values to it
     * @param defaultPolicy the policy used unless the application overrides it for this kind
     * @throws IllegalArgumentException if the name is not of that form
     */
    public static <V> DataKind<V> of(String name, Class<V> valueType, CachePolicy defaultPolicy) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "kind name must be 1 to 64 lower-case letters, digits or dashes, was '" + name + "'");
        }
        return new DataKind<>(name, valueType, defaultPolicy);
    }

    /** The kind's name, as it appears in keys, statistics and logs. */
    public String name() {
        return name;
    }

    /** The class of the values cached under this kind. */
    public Class<V> valueType() {
        return valueType;
    }

    /** The policy used for this kind unless the application overrides it. */
    public CachePolicy defaultPolicy() {
        return defaultPolicy;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DataKind<?> kind && kind.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
