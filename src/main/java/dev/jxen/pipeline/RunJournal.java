package dev.jxen.pipeline;

import dev.jxen.system.Json;
import dev.jxen.system.Undo;
import dev.jxen.system.UndoKinds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's undo stack on disk ({@code STATE_DIR/HOST.json}), rewritten (and synced) at every change:
 * what the run holds (mounts, processes, temporary files) and what it made (images, volumes, a .cfg).
 * It is removed when the run ends; one that is left behind belongs to a run that was killed, and
 * {@link #recover} undoes it.
 */
public final class RunJournal implements UndoStack.Journal {
    private final Path file;
    private final Map<String, Object> header;

    private RunJournal(Path file, Map<String, Object> header) {
        this.file = file;
        this.header = header;
    }

    public static Path fileFor(Path stateDir, String guest) {
        return stateDir.resolve(guest + ".json");
    }

    /** Starts the journal of a run; {@code keep} is what a recovery does with its images (--keep). */
    public static RunJournal start(Path stateDir, String guest, String command, boolean keep) {
        Map<String, Object> h = new LinkedHashMap<>();
        ProcessHandle me = ProcessHandle.current();
        h.put("host", guest);
        h.put("command", command);
        h.put("pid", me.pid());
        h.put("started", me.info().startInstant().map(Object::toString).orElse(""));
        h.put("keep", keep);
        RunJournal j = new RunJournal(fileFor(stateDir, guest), h);
        j.record(List.of());
        return j;
    }

    @Override
    public synchronized void record(List<UndoStack.Entry> entries) {
        Map<String, Object> doc = new LinkedHashMap<>(header);
        List<Object> list = new ArrayList<>();
        for (UndoStack.Entry e : entries) {
            if (!e.action().outlivesTheProcess()) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("when", e.when().name());
            m.put("kind", e.action().kind());
            m.put("args", e.action().args());
            m.put("what", e.description());
            list.add(m);
        }
        doc.put("entries", list);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap((Json.write(doc) + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's state to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The run is over and its undo stack is empty: nothing is left to recover. */
    public void finish() throws IOException {
        Files.deleteIfExists(file);
    }

    /** What a killed run left: who it was, and its undo stack. */
    public record Left(Path file, String command, long pid, boolean keep, UndoStack undo, int entries) {
    }

    /**
     * Reads a journal left behind.
     *
     * @throws IllegalStateException when it cannot be read back, naming the file
     */
    public static Optional<Left> read(Path file, UndoKinds kinds) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) Json.read(dev.jxen.system.BoundedFiles.readString(file, 16L << 20));
            UndoStack undo = new UndoStack();
            int n = 0;
            for (Object o : (List<?>) doc.get("entries")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> e = (Map<String, Object>) o;
                Map<String, String> args = new LinkedHashMap<>();
                ((Map<?, ?>) e.get("args")).forEach((k, v) -> args.put(String.valueOf(k), String.valueOf(v)));
                Undo action = kinds.make(String.valueOf(e.get("kind")), args);
                undo.restore(action, UndoStack.When.valueOf(String.valueOf(e.get("when"))));
                n++;
            }
            return Optional.of(new Left(file, String.valueOf(doc.get("command")), ((Number) doc.get("pid")).longValue(),
                    Boolean.TRUE.equals(doc.get("keep")), undo, n));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + file + ", left by a jxen run that did not finish: " + e.getMessage(), e);
        }
    }
}
