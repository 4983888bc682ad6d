package io.huddle.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds, failing with a description rather than hanging: for what a test
 * cannot drive with a {@link ManualClock}, another thread's work (a scheduler, a subscription, a
 * collection), never for time to pass.
 */
public final class Eventually {
    private Eventually() {}

    /** Polls the condition every 20 ms until it holds; an {@link AssertionError} naming what after the timeout. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
