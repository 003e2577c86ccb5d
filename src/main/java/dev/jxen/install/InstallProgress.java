package dev.jxen.install;

import java.util.function.Consumer;

/**
 * Turns debootstrap's or mmdebstrap's output into a rough percentage: retrieving counts for the
 * first third, unpacking the second, configuring the last. The package count is learnt while
 * retrieving; until then a typical base system's size is assumed.
 */
public final class InstallProgress implements Consumer<String> {
    /** Receives a percentage (0-100) and a phase. */
    public interface Sink {
        void progress(int percent, String phase);
    }

    private static final int TYPICAL_PACKAGES = 200;
    private final Sink sink;
    private int retrieved;
    private int unpacked;
    private int configured;
    private int lastPercent = -1;

    public InstallProgress(Sink sink) {
        this.sink = sink;
    }

    @Override
    public void accept(String line) {
        String phase;
        if (line.startsWith("I: Retrieving ") && !line.contains("Release") && !line.contains("Packages")) {
            retrieved++;
            phase = "retrieving packages";
        } else if (line.startsWith("I: Unpacking ") || line.startsWith("Unpacking ")) {
            unpacked++;
            phase = "unpacking";
        } else if (line.startsWith("I: Configuring ") || line.startsWith("Setting up ")) {
            configured++;
            phase = "configuring";
        } else if (line.startsWith("I: Base system installed successfully") || line.startsWith("I: success")) {
            emit(100, "done");
            return;
        } else {
            return;
        }
        int total = Math.max(retrieved, TYPICAL_PACKAGES);
        double pct = 33.0 * Math.min(retrieved, total) / total
                + 33.0 * Math.min(unpacked, total) / total
                + 33.0 * Math.min(configured, total) / total;
        emit((int) Math.min(99, pct), phase);
    }

    private void emit(int pct, String phase) {
        if (pct != lastPercent) {
            lastPercent = pct;
            sink.progress(pct, phase);
        }
    }
}
