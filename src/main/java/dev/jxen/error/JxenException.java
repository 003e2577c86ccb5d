package dev.jxen.error;

/**
 * Base of every failure jxen reports to the user: a message, an optional hint saying what to
 * do, and the process exit status that goes with it.
 */
public class JxenException extends RuntimeException {
    private final int exitCode;
    private final String hint;

    public JxenException(int exitCode, String message, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    public int exitCode() {
        return exitCode;
    }

    /** What the user could do about it, or null. */
    public String hint() {
        return hint;
    }
}
