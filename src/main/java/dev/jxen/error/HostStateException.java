package dev.jxen.error;

/** The host cannot proceed as it is: a name in use, a missing tool, a held lock. Exit status 3. */
public class HostStateException extends JxenException {
    public HostStateException(String message, String hint) {
        super(ExitCodes.HOST_STATE, message, hint, null);
    }
}
