package io.huddle.core.api;

/**
 * A value could not be loaded and no stale value could stand in for it: the loader failed or was
 * throttled, or the wait for it ran past the policy's load timeout. Carries the kind and the id; the
 * cause is the loader's exception (for example the upstream's rate-limit error).
 */
public class CacheLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String id;

    public CacheLoadException(CacheKey key, String message, Throwable cause) {
        super("loading " + key + " failed: " + message, cause);
        this.kind = key.kind().name();
        this.id = key.id();
    }

    /** The name of the kind whose load failed. */
    public String kind() {
        return kind;
    }

    /** The id whose load failed. */
    public String id() {
        return id;
    }
}
