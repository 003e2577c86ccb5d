package dev.jxen.error;

/** The run was interrupted by a signal and rolled back. Exit status 130. */
public class InterruptedCreateException extends JxenException {
    public InterruptedCreateException(String stage) {
        super(ExitCodes.INTERRUPTED, "interrupted during stage '" + stage + "'; what this run created was rolled back", null, null);
    }
}
