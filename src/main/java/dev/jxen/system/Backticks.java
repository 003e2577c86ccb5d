package dev.jxen.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs the shell command of a backtick value in a config file, as xen-tools does, with a time limit. */
public final class Backticks {
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_OUTPUT = 64 * 1024;

    private Backticks() {
    }

    /** What the command printed (trailing newlines removed) and its exit status. */
    public record Result(String output, int status) {
    }

    /** Runs the command; throws only if it cannot start or hangs. */
    public static Result run(String shellCommand) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", shellCommand);
        pb.redirectErrorStream(false);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (out.size() < MAX_OUTPUT) {
                        out.write(buf, 0, n);
                    }
                }
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("'" + shellCommand + "' did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(out.toString(StandardCharsets.UTF_8).replaceAll("\\n+$", ""), p.exitValue());
        } catch (IOException e) {
            throw new IllegalStateException("'" + shellCommand + "' could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
