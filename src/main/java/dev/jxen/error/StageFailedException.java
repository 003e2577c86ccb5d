package dev.jxen.error;

/** A stage failed while running. Exit status 4. */
public class StageFailedException extends JxenException {
    private final String stage;

    public StageFailedException(String stage, String message, String hint, Throwable cause) {
        super(ExitCodes.STAGE_FAILED, "stage '" + stage + "' failed: " + message, hint, cause);
        this.stage = stage;
    }

    public String stage() {
        return stage;
    }
}
