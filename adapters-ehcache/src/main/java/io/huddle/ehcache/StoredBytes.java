package io.huddle.ehcache;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The value kept in Ehcache: the instant (epoch millis) at which the entry must go, as eight
 * big-endian bytes, followed by the codec's envelope. The expiry travels with the bytes so that it is
 * on disk with them, and Ehcache's expiry policy can read it without decoding the envelope.
 */
final class StoredBytes {
    private static final int HEADER = Long.BYTES;

    private StoredBytes() {}

    static byte[] of(long expiresAtMillis, byte[] envelope) {
        return ByteBuffer.allocate(HEADER + envelope.length)
                .putLong(expiresAtMillis)
                .put(envelope)
                .array();
    }

    /** The expiry instant in epoch millis; a value too short to hold one has already expired. */
    static long expiresAtMillis(byte[] stored) {
        return stored.length < HEADER ? Long.MIN_VALUE : ByteBuffer.wrap(stored).getLong(0);
    }

    /** The envelope; empty (hence unreadable to the codec) if the value is too short. */
    static byte[] envelope(byte[] stored) {
        return stored.length < HEADER ? new byte[0] : Arrays.copyOfRange(stored, HEADER, stored.length);
    }
}
