package dev.jxen.pipeline.event;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import dev.jxen.error.InvalidInputException;
import dev.jxen.system.FilePlace;

import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes every event, commands and their output included, to the run's log file (mode 0640), only in
 * a directory that root alone can change, never through a link, and never into a file of another user.
 */
public final class LogFileListener implements EventListener, AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final Writer out;

    public LogFileListener(Path file) {
        try {
            if (file.toString().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new InvalidInputException("the log file '" + file.toString().replaceAll("\\p{Cntrl}", "?") + "' has a control character in its name");
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            FilePlace place = FilePlace.of(file, "the log file");
            if (!place.rootOnly()) {
                throw new InvalidInputException("the log file " + file + " would be in " + place.dir() + ", a directory of uid " + place.owner()
                        + "'s; jxen writes its logs only where root alone can change them (/var/log/xen-tools, or a directory of root's)");
            }
            Path real = place.dir().resolve(file.getFileName().toString());
            if (Files.exists(real, LinkOption.NOFOLLOW_LINKS) && (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)
                    || (Integer) Files.getAttribute(real, "unix:uid", LinkOption.NOFOLLOW_LINKS) != 0)) {
                throw new InvalidInputException("the log file " + real + " is a link, not a plain file, or not root's; jxen does not append to it");
            }
            out = new java.io.OutputStreamWriter(Files.newOutputStream(real, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        } catch (IOException e) {
            throw new dev.jxen.error.HostStateException("cannot open the log file " + file + ": " + e.getMessage(),
                    "give --log a file in a directory root can write, such as /var/log/xen-tools");
        }
    }

    @Override
    public synchronized void on(JxenEvent e) {
        String t = LocalTime.now().format(TIME) + " ";
        String line;
        if (e instanceof JxenEvent.StageStarted s) {
            line = "== " + s.stage() + " (" + s.index() + "/" + s.total() + ")";
        } else if (e instanceof JxenEvent.StepLog l) {
            line = l.level() + " " + (l.stage() == null ? "" : "[" + l.stage() + "] ") + l.text();
        } else if (e instanceof JxenEvent.Progress p) {
            return;
        } else if (e instanceof JxenEvent.StageFinished f) {
            line = "== " + f.stage() + " done in " + f.elapsedMillis() + " ms";
        } else if (e instanceof JxenEvent.StageFailed f) {
            line = "FAILED " + f.stage() + ": " + f.message();
        } else if (e instanceof JxenEvent.Summary s) {
            line = "SUMMARY success=" + s.success() + " " + s.fields().entrySet().stream()
                    .filter(x -> !x.getKey().equals("generated-password"))
                    .map(x -> x.getKey() + "=" + x.getValue()).toList();
        } else {
            return;
        }
        try {
            out.write(t + line + "\n");
            out.flush();
        } catch (IOException ex) {
            // a full disk must not turn a good create into a failure; the console still has it
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
