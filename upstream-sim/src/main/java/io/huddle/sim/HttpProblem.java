package io.huddle.sim;

/** An answer other than 200, raised where the problem is found and written as {@code {"error": ...}}. */
final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    HttpProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
