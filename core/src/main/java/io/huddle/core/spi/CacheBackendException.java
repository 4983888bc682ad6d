package io.huddle.core.spi;

/**
 * A {@link CachePort} could not do what was asked: the backend is down, full, closed or
 * misconfigured. Adapters throw this instead of their library's exceptions. The engine never passes
 * it to its callers: it counts it and treats the request as a miss.
 */
public class CacheBackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String backend;

    public CacheBackendException(String backend, String message, Throwable cause) {
        super(backend + ": " + message, cause);
        this.backend = backend;
    }

    public CacheBackendException(String backend, String message) {
        this(backend, message, null);
    }

    /** The name of the backend that failed, as in {@link CachePort#name()}. */
    public String backend() {
        return backend;
    }
}
