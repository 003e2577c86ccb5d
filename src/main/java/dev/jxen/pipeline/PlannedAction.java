package dev.jxen.pipeline;

import dev.jxen.system.Command;

/**
 * One thing a stage will do, as shown by --dry-run: run a command, create or write a file, mount.
 *
 * @param kind   run, create, write, mount, remove, note, or show (a file written with the text in {@code detail})
 * @param target the command line or the path concerned
 * @param detail extra words (a size, a mount point), or empty
 */
public record PlannedAction(String kind, String target, String detail) {
    public static final String SHOW = "show";

    /** A file the stage writes, shown whole in the plan. */
    public static PlannedAction show(String path, String text) {
        return new PlannedAction(SHOW, path, text);
    }

    public static PlannedAction run(Command c) {
        return new PlannedAction("run", c.display(), "");
    }

    public static PlannedAction create(String what, String detail) {
        return new PlannedAction("create", what, detail);
    }

    public static PlannedAction write(String path, String detail) {
        return new PlannedAction("write", path, detail);
    }

    public static PlannedAction mount(String what, String where) {
        return new PlannedAction("mount", what, where);
    }

    public static PlannedAction note(String text) {
        return new PlannedAction("note", text, "");
    }
}
