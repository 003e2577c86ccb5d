package dev.jxen.pipeline.event;

import java.io.PrintWriter;

/**
 * Draws a run for a person: one line per stage, tool output with --verbose, progress as a
 * percentage that rewrites its line on a terminal and prints every 10% otherwise.
 */
public final class ConsoleListener implements EventListener {
    private final PrintWriter out;
    private final boolean verbose;
    private final boolean quiet;
    private final boolean terminal;
    private long lastShownPercent = -1;
    private boolean progressLineOpen;

    public ConsoleListener(PrintWriter out, boolean verbose, boolean quiet, boolean terminal) {
        this.out = out;
        this.verbose = verbose;
        this.quiet = quiet;
        this.terminal = terminal;
    }

    @Override
    public void on(JxenEvent e) {
        if (e instanceof JxenEvent.StageStarted s) {
            endProgress();
            if (!quiet) {
                out.printf("[%d/%d] %s%n", s.index(), s.total(), s.stage());
            }
            lastShownPercent = -1;
        } else if (e instanceof JxenEvent.StepLog l) {
            boolean show = switch (l.level()) {
                case WARN, ERROR -> true;
                case INFO -> !quiet;
                default -> verbose;
            };
            if (show) {
                endProgress();
                String prefix = switch (l.level()) {
                    case WARN -> "warning: ";
                    case ERROR -> "error: ";
                    case COMMAND -> "  $ ";
                    default -> "  ";
                };
                out.println(prefix + printable(l.text()));
            }
        } else if (e instanceof JxenEvent.Progress p) {
            if (quiet || p.total() <= 0) {
                return;
            }
            long pct = Math.min(100, p.done() * 100 / p.total());
            if (terminal) {
                out.printf("\r  %s%3d%% %s\u001b[K", p.estimated() ? "~" : " ", pct, p.what());
                progressLineOpen = true;
            } else if (pct / 10 != lastShownPercent / 10 || lastShownPercent < 0) {
                out.printf("  %s%3d%% %s%n", p.estimated() ? "~" : " ", pct, p.what());
            }
            lastShownPercent = pct;
        } else if (e instanceof JxenEvent.StageFinished f) {
            endProgress();
            if (verbose) {
                out.printf("  done in %.1f s%n", f.elapsedMillis() / 1000.0);
            }
        } else if (e instanceof JxenEvent.StageFailed f) {
            endProgress();
        } else if (e instanceof JxenEvent.Summary s) {
            endProgress();
            if (!quiet || s.success()) {
                s.lines().forEach(out::println);
                Object pw = s.fields().get("generated-password");
                if (pw != null) {
                    out.println("Root Password   :  " + pw);
                }
            }
        }
        out.flush();
    }

    private void endProgress() {
        if (progressLineOpen) {
            out.println();
            progressLineOpen = false;
        }
    }

    /**
     * The text with control characters other than tab shown as '?': lines come from commands run in a
     * guest, and an escape sequence there must not reach the terminal of the person running jxen.
     */
    static String printable(String text) {
        return text.replaceAll("[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f]", "?");
    }
}
