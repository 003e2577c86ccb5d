package dev.jxen.installer;

import dev.jxen.error.StageFailedException;

/** A link of the chain from the archive key to a file did not hold: what was checked, against what, and where. */
public final class ChainBroken extends StageFailedException {
    private static final long serialVersionUID = 1L;

    public ChainBroken(String message) {
        super("installer images", message, "the mirror (or something between it and this machine) serves files that Debian did not sign: "
                + "try another --mirror, and do not use these files", null);
    }
}
