package io.huddle.examples;

/** What an application prints when it cannot go on. */
public final class Failures {
    private Failures() {}

    /** The innermost cause's message: what went wrong, without Guice's wrapping or a stack trace. */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
