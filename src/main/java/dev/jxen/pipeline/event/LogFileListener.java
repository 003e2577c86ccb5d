package dev.jxen.pipeline.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Writes every event, commands and their output included, to the run's log file (mode 0640). */
public final class LogFileListener implements EventListener, AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final Writer out;

    public LogFileListener(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log file " + file, e);
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
