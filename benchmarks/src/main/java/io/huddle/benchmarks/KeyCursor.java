package io.huddle.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Each benchmark thread's position in the cycle of {@link HitFixture#KEYS} keys: Huddle and the
 * baseline pay the same for picking the next key.
 */
@State(Scope.Thread)
public class KeyCursor {
    private int next;

    /** The next index, wrapping after the last key. */
    public int nextIndex() {
        int index = next;
        next = (index + 1) & (HitFixture.KEYS - 1);
        return index;
    }
}
