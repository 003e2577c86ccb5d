package dev.jxen.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A mounted filesystem as /proc/self/mountinfo lists it: its device and, when that is a loop device
 * that goes away with its last user, the file behind it. Unmounting it here is not the end of it: a
 * process that made its own mount namespace while it was mounted (another jxen run's hook, an
 * {@code unshare} shell) holds a copy that keeps the filesystem, its loop device and its journal alive.
 *
 * @param device   major:minor of the filesystem's device (for btrfs, a number the kernel reuses once it is free)
 * @param source   what was mounted (/dev/vg0/web1-disk, /dev/loop3), which together with the number names it
 * @param loop     the loop device's name (loop3), when the device is a loop device set to clear itself
 * @param backing  the file behind that loop device, as the kernel names it
 */
public record MountedFilesystem(Path at, String device, String source, Optional<String> loop, Optional<String> backing) {
    private static final Pattern LOOP = Pattern.compile("/dev/(loop[0-9]+)");

    /** One line of a mountinfo file: the device number, the mount point and what was mounted. */
    private record Line(String device, String mountPoint, String source) {
        static Optional<Line> parse(String line) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 6 || dash + 2 >= f.length) {
                return Optional.empty();
            }
            return Optional.of(new Line(f[2], Mounts.decode(f[4]), Mounts.decode(f[dash + 2])));
        }
    }

    /** The filesystem mounted on top at {@code at} in this mount namespace, if any. */
    public static Optional<MountedFilesystem> at(Path at) throws IOException {
        MountedFilesystem found = null;
        for (String text : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            Optional<Line> line = Line.parse(text).filter(l -> l.mountPoint().equals(at.toString()));
            if (line.isEmpty()) {
                continue;
            }
            Optional<String> loop = Optional.empty();
            Optional<String> backing = Optional.empty();
            Matcher m = LOOP.matcher(line.get().source());
            if (m.matches() && "1".equals(sysLoop(m.group(1), "autoclear").orElse(""))) {
                loop = Optional.of(m.group(1));
                backing = sysLoop(m.group(1), "backing_file");
            }
            found = new MountedFilesystem(at, line.get().device(), line.get().source(), loop, backing);
        }
        return Optional.ofNullable(found);
    }

    private static Optional<String> sysLoop(String loop, String attribute) {
        try {
            return Optional.of(Files.readString(Path.of("/sys/block", loop, "loop", attribute)).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether any mount namespace still holds this filesystem: for a loop device that clears itself,
     * whether it is still attached to the same file; otherwise whether any process's mount table lists
     * the device.
     */
    public boolean held() throws IOException {
        if (loop.isPresent()) {
            return backing.isPresent() && sysLoop(loop.get(), "backing_file").equals(backing);
        }
        return !holders().isEmpty();
    }

    /** The processes whose mount namespace lists this filesystem's device, as "PID (command)". */
    public List<String> holders() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    boolean holds = Files.readAllLines(p.resolve("mountinfo")).stream().map(Line::parse).flatMap(Optional::stream)
                            .anyMatch(l -> l.device().equals(device) && l.source().equals(source));
                    if (holds) {
                        out.add(p.getFileName() + " (" + Files.readString(p.resolve("comm")).strip() + ")");
                    }
                } catch (IOException gone) {
                    // the process ended while it was read
                }
            }
        }
        return out;
    }

    /**
     * Where any process's mount table lists the device numbered {@code device} (major:minor) or mounted from one
     * of {@code sources}: "PID (command) on MOUNT POINT", one line per mount namespace. Processes that end
     * while they are read are passed over.
     */
    public static List<String> mountsOf(String device, Set<String> sources) throws IOException {
        List<String> out = new ArrayList<>();
        Set<String> namespaces = new HashSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String ns = Files.readSymbolicLink(p.resolve("ns/mnt")).toString();
                    if (namespaces.contains(ns)) {
                        continue;
                    }
                    Optional<Line> hit = Files.readAllLines(p.resolve("mountinfo")).stream().map(Line::parse).flatMap(Optional::stream)
                            .filter(l -> l.device().equals(device) || sources.contains(l.source())).findFirst();
                    if (hit.isPresent()) {
                        namespaces.add(ns);
                        out.add(p.getFileName() + " (" + Files.readString(p.resolve("comm")).strip() + ") on " + hit.get().mountPoint());
                    }
                } catch (IOException gone) {
                    // the process ended while it was read
                }
            }
        }
        return out;
    }

    /**
     * Whether process {@code pid} is in the PID namespace numbered {@code pidNamespace} and its mount
     * table lists this filesystem.
     */
    public boolean heldBy(long pid, String pidNamespace) {
        Path p = Path.of("/proc", String.valueOf(pid));
        try {
            return Files.readSymbolicLink(p.resolve("ns/pid")).toString().equals("pid:[" + pidNamespace + "]")
                    && Files.readAllLines(p.resolve("mountinfo")).stream().map(Line::parse).flatMap(Optional::stream)
                    .anyMatch(l -> l.device().equals(device) && l.source().equals(source));
        } catch (IOException gone) {
            return false;
        }
    }

    /** Every process in the PID namespace numbered {@code pidNamespace}. */
    public static List<ProcessHandle> inPidNamespace(String pidNamespace) throws IOException {
        List<ProcessHandle> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    if (Files.readSymbolicLink(p.resolve("ns/pid")).toString().equals("pid:[" + pidNamespace + "]")) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(out::add);
                    }
                } catch (IOException gone) {
                    // ended while it was read
                }
            }
        }
        return out;
    }

    /** Waits until no mount namespace holds this filesystem; fails, naming the holders, after {@code limit}. */
    public void awaitReleased(Duration limit) throws IOException {
        long end = System.nanoTime() + limit.toNanos();
        while (held()) {
            if (System.nanoTime() > end) {
                List<String> who = holders();
                throw new IOException(at + " is unmounted here, but its filesystem (device " + device
                        + loop.map(l -> ", /dev/" + l + backing.map(b -> " on " + b).orElse("")).orElse("")
                        + ") is still mounted in another mount namespace"
                        + (who.isEmpty() ? "" : ", of " + String.join(", ", who.subList(0, Math.min(5, who.size()))))
                        + "; end those processes, then check the filesystem before using it");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + at + " to be released", e);
            }
        }
    }
}
