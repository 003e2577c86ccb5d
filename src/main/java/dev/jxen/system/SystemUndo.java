package dev.jxen.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The undo actions on the dom0 itself: files, directories, mounts, commands, process groups, lines of a file. */
public final class SystemUndo {
    private SystemUndo() {
    }

    /** Removes a file (or an empty directory) jxen made; nothing if it is gone already. */
    public record RemoveFile(Path path) implements Undo {
        public String kind() {
            return "remove-file";
        }

        public Map<String, String> args() {
            return Map.of("path", path.toString());
        }

        public String describe() {
            return "remove " + path;
        }

        public void run(CommandRunner runner) throws IOException {
            Files.deleteIfExists(path);
        }
    }

    /** Removes {@code from} and each parent up to {@code upTo} that is empty: the directories jxen made. */
    public record RemoveEmptyDirs(Path from, Path upTo) implements Undo {
        public String kind() {
            return "remove-empty-dirs";
        }

        public Map<String, String> args() {
            return Map.of("from", from.toString(), "up-to", upTo.toString());
        }

        public String describe() {
            return "remove " + upTo + " if empty";
        }

        public void run(CommandRunner runner) throws IOException {
            Path p = from;
            while (p != null && p.startsWith(upTo)) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    try (var s = Files.list(p)) {
                        if (s.findAny().isPresent()) {
                            return;
                        }
                    }
                    Files.delete(p);
                }
                p = p.getParent();
            }
        }
    }

    /**
     * Removes a private directory jxen made and everything in it (downloads, an initrd copy); links
     * in it are removed, never followed, and nothing mounted is crossed.
     */
    public record RemoveTree(Path dir) implements Undo {
        public String kind() {
            return "remove-tree";
        }

        public Map<String, String> args() {
            return Map.of("dir", dir.toString());
        }

        public String describe() {
            return "remove " + dir + " and what is in it";
        }

        public void run(CommandRunner runner) throws IOException {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(dir);
                return;
            }
            Object device = Files.readAttributes(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS).get("dev");
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        if (!device.equals(Files.readAttributes(p, "unix:dev", LinkOption.NOFOLLOW_LINKS).get("dev"))) {
                            throw new IOException(p + " is another filesystem, mounted there; left as it is");
                        }
                        new RemoveTree(p).run(runner);
                    } else {
                        Files.delete(p);
                    }
                }
            }
            Files.delete(dir);
        }
    }

    /** Unmounts a mount point by its exact path, if it is still mounted. */
    public record Unmount(Path at) implements Undo {
        public String kind() {
            return "unmount";
        }

        public Map<String, String> args() {
            return Map.of("at", at.toString());
        }

        public String describe() {
            return "unmount " + at;
        }

        public void run(CommandRunner runner) throws IOException {
            Mounts.unmount(runner, at);
        }
    }

    /** Renames back what jxen renamed; nothing when the source is gone. */
    public record Move(Path from, Path to, String why) implements Undo {
        public String kind() {
            return "move";
        }

        public Map<String, String> args() {
            return Map.of("from", from.toString(), "to", to.toString(), "why", why);
        }

        public String describe() {
            return why + " (" + from + " -> " + to + ")";
        }

        public void run(CommandRunner runner) throws IOException {
            if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** Runs a command (lvremove, zfs destroy, a rename) that undoes what another did. */
    public record RunCommand(List<String> argv, String why) implements Undo {
        public RunCommand {
            argv = List.copyOf(argv);
        }

        public String kind() {
            return "run";
        }

        public Map<String, String> args() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("why", why);
            for (int i = 0; i < argv.size(); i++) {
                m.put("arg" + i, argv.get(i));
            }
            return m;
        }

        static RunCommand from(Map<String, String> a) {
            List<String> argv = new ArrayList<>();
            for (int i = 0; a.containsKey("arg" + i); i++) {
                argv.add(a.get("arg" + i));
            }
            return new RunCommand(argv, a.getOrDefault("why", ""));
        }

        public String describe() {
            return why;
        }

        public void run(CommandRunner runner) {
            runner.check(Command.of(argv).withTimeout(Duration.ofMinutes(5)), l -> { });
        }
    }

    /**
     * Kills a command's process group (each command jxen runs leads a session of its own), if it still
     * lives: what a killed run leaves running. The start time tells a reused process id apart.
     */
    public record KillGroup(long pgid, String started) implements Undo {
        public String kind() {
            return "kill-group";
        }

        public Map<String, String> args() {
            return Map.of("pgid", String.valueOf(pgid), "started", started);
        }

        public String describe() {
            return "stop the processes of group " + pgid;
        }

        public void run(CommandRunner runner) throws IOException {
            var leader = ProcessHandle.of(pgid);
            if (leader.isPresent() && !leader.get().info().startInstant().map(Object::toString).orElse("").equals(started)) {
                return; // the id now belongs to another process, and so the group is another's
            }
            for (long pid : ProcessGroups.members(pgid)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /**
     * Ends what still runs in the sandboxes of one run (a guest's program that kept running, or a killed
     * run's), before jxen touches the guest's files again on the way back, so that nothing of the
     * guest's changes its tree meanwhile. Exactly the PID namespaces bubblewrap reported in the run's
     * {@code sandbox-N.json} files, and only while that namespace's process 1 still holds the guest's
     * filesystem: a namespace number the kernel has since given to another is left alone.
     *
     * @param jail the run's sandbox directory
     * @param root where the guest is mounted
     */
    public record KillSandboxes(Path jail, Path root) implements Undo {
        private static final java.util.regex.Pattern FIELD = java.util.regex.Pattern.compile("\"(child-pid|pid-namespace)\"\\s*:\\s*([0-9]{1,19})");

        public String kind() {
            return "kill-sandboxes";
        }

        public Map<String, String> args() {
            return Map.of("jail", jail.toString(), "root", root.toString());
        }

        public String describe() {
            return "end what still runs in the sandboxes of the guest at " + root;
        }

        public void run(CommandRunner runner) throws IOException {
            Optional<MountedFilesystem> fs = MountedFilesystem.at(root);
            if (fs.isEmpty() || !Files.isDirectory(jail, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            List<ProcessHandle> left = new ArrayList<>();
            try (var infos = Files.newDirectoryStream(jail, "sandbox-*.json")) {
                for (Path info : infos) {
                    Map<String, String> f = new java.util.HashMap<>();
                    java.util.regex.Matcher m = FIELD.matcher(BoundedFiles.readString(info, 4096));
                    while (m.find()) {
                        f.put(m.group(1), m.group(2));
                    }
                    if (f.containsKey("child-pid") && f.containsKey("pid-namespace") && fs.get().heldBy(Long.parseLong(f.get("child-pid")), f.get("pid-namespace"))) {
                        left.addAll(MountedFilesystem.inPidNamespace(f.get("pid-namespace")));
                    }
                }
            }
            left.forEach(ProcessHandle::destroyForcibly);
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (left.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < end) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (left.stream().anyMatch(ProcessHandle::isAlive)) {
                throw new IOException("processes of a sandbox on " + root + " did not end: "
                        + left.stream().filter(ProcessHandle::isAlive).map(h -> String.valueOf(h.pid())).toList());
            }
        }
    }

    /** Takes out a line jxen added to a file (the dom0's hosts) and puts back the lines it removed. */
    public record RestoreLines(Path file, String added, List<String> removed, String why, Path lockDir) implements Undo {
        public RestoreLines {
            removed = List.copyOf(removed);
        }

        public String kind() {
            return "restore-lines";
        }

        public Map<String, String> args() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("file", file.toString());
            m.put("why", why);
            m.put("lock-dir", lockDir.toString());
            if (added != null) {
                m.put("added", added);
            }
            for (int i = 0; i < removed.size(); i++) {
                m.put("removed" + i, removed.get(i));
            }
            return m;
        }

        static RestoreLines from(Map<String, String> a) {
            List<String> removed = new ArrayList<>();
            for (int i = 0; a.containsKey("removed" + i); i++) {
                removed.add(a.get("removed" + i));
            }
            return new RestoreLines(Path.of(a.get("file")), a.get("added"), removed, a.getOrDefault("why", ""),
                    Path.of(a.getOrDefault("lock-dir", "/run/lock/jxen")));
        }

        public String describe() {
            return why;
        }

        public void run(CommandRunner runner) throws IOException {
            if (!Files.exists(file)) {
                return;
            }
            TextFiles.edit(file, "the file", lockDir, runner, now -> {
                boolean changed = added != null && now.remove(added);
                for (String r : removed) {
                    if (!now.contains(r)) {
                        changed |= now.add(r);
                    }
                }
                return changed ? Optional.of(now) : Optional.empty();
            });
        }
    }
}
