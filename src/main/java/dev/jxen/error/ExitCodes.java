package dev.jxen.error;

/** The documented exit statuses of every jxen command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Unexpected internal error (a bug). */
    public static final int SOFTWARE = 1;
    /** Bad option or bad value: the command line, a config file, a profile or partitions file. */
    public static final int INVALID_INPUT = 2;
    /** The host is not in a state to proceed: name in use, tool missing, lock held, no loop device. */
    public static final int HOST_STATE = 3;
    /** A stage failed while running; everything it created was rolled back (unless --keep). */
    public static final int STAGE_FAILED = 4;
    /** Interrupted by SIGINT/SIGTERM; rolled back. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
