package io.huddle.core.spi;

import java.util.Objects;

/**
 * Proof that a writer holds the lease on a key: the token the {@link LoadCoordinator} handed its
 * leader. A port shared across processes stores a fenced write only if the key's lease still holds
 * this token, checked in the same atomic step as the write; so a loader that outlived its lease
 * (it expired, another server took over, or the key was invalidated meanwhile) cannot overwrite a
 * newer value or bring back an invalidated one. See {@link CachePort#putFenced}.
 *
 * @param token the lease's random token, unique per lease
 */
public record Fence(String token) {
    public Fence {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("a fence token must not be blank");
        }
    }

    @Override
    public String toString() {
        return "Fence[" + token + ']';
    }
}
