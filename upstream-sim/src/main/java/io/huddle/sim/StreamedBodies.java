package io.huddle.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The bodies of the faults that take time, written after a 200's headers (chunked, no {@code
 * Content-Length}): a body that drips, one that never ends, one that is huge. Each holds its server
 * thread while it writes and stops when the client goes away (the next write fails) or when {@link
 * Faults#heal()} or {@link Faults#close()} cut it short (the body then ends where it stands).
 */
final class StreamedBodies {
    /** What the endless and huge bodies repeat: a team, as the teams list has them. */
    static final String ITEM = "{\"id\":1,\"conference\":\"AFC\",\"division\":\"EAST\",\"location\":\"Buffalo\","
            + "\"name\":\"Bills\",\"full_name\":\"Buffalo Bills\",\"abbreviation\":\"BUF\"}";
    /** The smallest huge body: room for the list's brackets and a few items. */
    static final long SMALLEST_HUGE = 1024;
    /** The endless body sends one more item this often (about 14 KB a second). */
    static final Duration ENDLESS_PACE = Duration.ofMillis(10);

    private static final byte[] LIST_START = "{\"data\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LIST_END = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ITEM_BYTES = ITEM.getBytes(StandardCharsets.US_ASCII);
    /** Writes between two looks at whether the huge body was cut short. */
    private static final int HUGE_ITEMS_PER_LOOK = 256;

    private final Faults faults;

    StreamedBodies(Faults faults) {
        this.faults = faults;
    }

    /** A body written after the headers. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException, InterruptedException;
    }

    /** {@code body}, {@code bytesPerSecond} bytes a second: a piece every 10 ms or so, each flushed. */
    Body drip(byte[] body, int bytesPerSecond) {
        long releases = faults.releases();
        int piece = Math.max(1, bytesPerSecond / 100);
        Duration interval = Duration.ofNanos(1_000_000_000L * piece / bytesPerSecond);
        return out -> {
            for (int at = 0; at < body.length; at += piece) {
                if (at > 0 && !faults.pause(releases, interval)) {
                    return;
                }
                out.write(body, at, Math.min(piece, body.length - at));
                out.flush();
            }
        };
    }

    /** {@code {"data":[} and then an item every {@link #ENDLESS_PACE}, never closing the list. */
    Body endless() {
        long releases = faults.releases();
        return out -> {
            out.write(LIST_START);
            for (boolean first = true; ; first = false) {
                if (!first) {
                    out.write(',');
                }
                out.write(ITEM_BYTES);
                out.flush();
                if (!faults.pause(releases, ENDLESS_PACE)) {
                    return;
                }
            }
        };
    }

    /** A complete {@code {"data":[...]}} of items, at most {@code bytes} long, as fast as the client reads. */
    Body huge(long bytes) {
        long releases = faults.releases();
        return out -> {
            out.write(LIST_START);
            long written = LIST_START.length;
            long room = bytes - LIST_END.length;
            for (long items = 0; written + ITEM_BYTES.length + 1 <= room; items++) {
                if (items % HUGE_ITEMS_PER_LOOK == 0 && faults.released(releases)) {
                    return;
                }
                if (items > 0) {
                    out.write(',');
                    written++;
                }
                out.write(ITEM_BYTES);
                written += ITEM_BYTES.length;
            }
            out.write(LIST_END);
        };
    }
}
