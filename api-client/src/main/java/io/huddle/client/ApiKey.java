package io.huddle.client;

import java.util.Objects;

/**
 * The provider's API key, checked once when the client is built. Surrounding whitespace is dropped
 * (a key read from a file often ends in a newline); what is left must be visible ASCII, {@code !}
 * to {@code ~}, so that it is a valid header value and the JDK never has to reject it (its message
 * would quote the value). No message of this class, and not {@link #toString()}, holds the key.
 */
record ApiKey(String value) {

    ApiKey {
        Objects.requireNonNull(value, "apiKey");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("apiKey must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '!' || c > '~') {
                throw new IllegalArgumentException("apiKey holds %s (U+%04X) at index %d; a key is visible ASCII only"
                        .formatted(describe(c), (int) c, i));
            }
        }
    }

    /** The key without its surrounding whitespace, checked. */
    static ApiKey of(String raw) {
        Objects.requireNonNull(raw, "apiKey");
        return new ApiKey(raw.strip());
    }

    /** {@code text} with every occurrence of the key replaced, for text that came from elsewhere. */
    String redact(String text) {
        return text.replace(value, "[api key]");
    }

    @Override
    public String toString() {
        return "ApiKey[redacted]";
    }

    private static String describe(char c) {
        if (c == ' ') {
            return "a space";
        }
        if (Character.isISOControl(c)) {
            return "a control character";
        }
        return "a character that is not visible ASCII";
    }
}
