package dev.jxen.installer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the installer's console says, line by line: whether it read jxen's preseed, whether its late
 * command ran (the install is complete), and the first dialog it put on the screen ("[!!] title"),
 * with the dialog's text once it has had time to arrive.
 */
final class InstallerScreen {
    /** How long a dialog stays on screen before it counts as the installer's stop: time for its text to arrive. */
    static final Duration DIALOG_GRACE = Duration.ofSeconds(10);
    private static final Pattern DIALOG = Pattern.compile("\\[!!?\\]\\s*(\\S.*)");
    /** The buttons of a dialog and the help line under it: no part of its message. */
    private static final Pattern BUTTONS = Pattern.compile("<[^>]+>.*|.*<Tab> moves.*");

    private boolean preseedRead;
    private boolean installed;
    private String dialog;
    private long dialogAt;
    private final List<String> dialogText = new ArrayList<>();
    private final Deque<String> recent = new ArrayDeque<>();

    /** Takes one line of the console; returns what it newly tells, for the log. */
    Optional<String> take(String line, long nanoTime) {
        recent.addLast(line);
        if (recent.size() > 12) {
            recent.removeFirst();
        }
        Matcher m = DIALOG.matcher(line);
        if (dialog == null && m.find()) {
            dialog = m.group(1).strip();
            dialogAt = nanoTime;
        } else if (dialog != null && dialogText.size() < 40 && !BUTTONS.matcher(line).matches()) {
            dialogText.add(line);
        }
        if (!preseedRead && line.contains(PreseedStage.PRESEED_MARK)) {
            preseedRead = true;
            return Optional.of("the installer read jxen's preseed");
        }
        if (!installed && line.contains(PreseedStage.INSTALLED_MARK)) {
            installed = true;
            return Optional.of("the installer's late command ran: the install is complete; waiting for its reboot");
        }
        return Optional.empty();
    }

    boolean installed() {
        return installed;
    }

    /** The dialog the installer stopped at, with its text, once it has stood for the grace time. */
    Optional<String> stoppedAt(long nanoTime) {
        if (dialog == null || nanoTime - dialogAt <= DIALOG_GRACE.toNanos()) {
            return Optional.empty();
        }
        return Optional.of("\"" + dialog + "\"" + (dialogText.isEmpty() ? "" : ": " + String.join(" ", dialogText)));
    }

    /** The last line, or empty. */
    String last() {
        return recent.isEmpty() ? "" : recent.getLast();
    }

    /** The last lines, for a message. */
    String lastLines() {
        return String.join(" / ", recent);
    }
}
