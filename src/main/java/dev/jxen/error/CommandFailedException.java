package dev.jxen.error;

import java.util.List;

/** An external command exited non-zero (or could not start). Stages turn it into a StageFailedException. */
public class CommandFailedException extends JxenException {
    private final int status;
    private final List<String> outputTail;

    public CommandFailedException(String message, String hint, int status, List<String> outputTail) {
        super(ExitCodes.STAGE_FAILED, message, hint, null);
        this.status = status;
        this.outputTail = List.copyOf(outputTail);
    }

    public int status() {
        return status;
    }

    public List<String> outputTail() {
        return outputTail;
    }
}
