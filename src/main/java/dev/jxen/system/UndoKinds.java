package dev.jxen.system;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Turns journaled undo actions back into actions: the dom0's own kinds, and those other packages register. */
public final class UndoKinds {
    private final Map<String, Function<Map<String, String>, Undo>> kinds = new HashMap<>();

    public UndoKinds() {
        add("remove-file", a -> new SystemUndo.RemoveFile(Path.of(a.get("path"))));
        add("remove-empty-dirs", a -> new SystemUndo.RemoveEmptyDirs(Path.of(a.get("from")), Path.of(a.get("up-to"))));
        add("remove-tree", a -> new SystemUndo.RemoveTree(Path.of(a.get("dir"))));
        add("unmount", a -> new SystemUndo.Unmount(Path.of(a.get("at"))));
        add("move", a -> new SystemUndo.Move(Path.of(a.get("from")), Path.of(a.get("to")), a.getOrDefault("why", "rename back")));
        add("run", SystemUndo.RunCommand::from);
        add("kill-group", a -> new SystemUndo.KillGroup(Long.parseLong(a.get("pgid")), a.getOrDefault("started", "")));
        add("restore-lines", SystemUndo.RestoreLines::from);
        add("kill-sandboxes", a -> new SystemUndo.KillSandboxes(Path.of(a.get("jail")), Path.of(a.get("root"))));
    }

    public UndoKinds add(String kind, Function<Map<String, String>, Undo> make) {
        kinds.put(kind, make);
        return this;
    }

    /** @throws IllegalArgumentException for a kind nobody registered */
    public Undo make(String kind, Map<String, String> args) {
        Function<Map<String, String>, Undo> f = kinds.get(kind);
        if (f == null) {
            throw new IllegalArgumentException("an undo action of unknown kind '" + kind + "'");
        }
        return f.apply(args);
    }
}
