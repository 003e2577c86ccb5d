package dev.jxen.storage;

import dev.jxen.config.StorageTarget;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;
import dev.jxen.xen.DomUConfigFile;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The storage a guest owns, found exactly: the disk targets of its .cfg, or, without one, the names a
 * create makes for its partitions ({@code HOST-disk}, {@code HOST-swap}, {@code HOST-NAME}). Never by
 * a prefix: a volume that only looks related ({@code web-2-disk} for {@code web}) is listed and left
 * alone, as is a disk the .cfg marks read-only, a disk another .cfg also names, and a device jxen
 * does not make.
 *
 * @param owned     what is the guest's, to remove
 * @param leftAlone what looks related but is not removed, each with the reason
 * @param domainDir the guest's image directory ({@code DIR/domains/HOST}), removed when it is left empty, or null
 */
public record GuestStorage(List<Owned> owned, List<String> leftAlone, Path domainDir) {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Pattern LV_PATH = Pattern.compile("/dev/([A-Za-z0-9+_.][A-Za-z0-9+_.-]*)/([A-Za-z0-9+_.][A-Za-z0-9+_.-]*)");

    public GuestStorage {
        owned = List.copyOf(owned);
        leftAlone = List.copyOf(leftAlone);
    }

    /** One thing the guest owns. */
    public sealed interface Owned {
        /** How it is named to the user. */
        String describe();
    }

    public record ImageFile(Path path) implements Owned {
        public String describe() {
            return path.toString();
        }
    }

    public record LogicalVolume(String vg, String lv) implements Owned {
        public String describe() {
            return vg + "/" + lv;
        }

        public Path device() {
            return Path.of("/dev", vg, lv);
        }
    }

    public record ZfsVolume(String dataset) implements Owned {
        public String describe() {
            return dataset;
        }

        public Path device() {
            return Path.of("/dev/zvol", dataset);
        }
    }

    /**
     * @param cfg        the guest's .cfg, if it has one
     * @param location   where the storage is, for a guest without a .cfg (may be null when there is one)
     * @param partitions the partition names a create makes (swap, disk, or those of the layout)
     * @param others     the other guests' .cfg files, whose disks are never this guest's
     */
    public static GuestStorage find(String guest, Optional<DomUConfigFile> cfg, StorageTarget location, List<String> partitions,
                                    List<DomUConfigFile> others, CommandRunner runner) throws IOException {
        List<Owned> owned = new ArrayList<>();
        List<String> left = new ArrayList<>();
        Path domainDir = location instanceof StorageTarget.Dir d ? d.dir().resolve("domains").resolve(guest) : null;
        if (cfg.isPresent()) {
            Set<String> othersTargets = new LinkedHashSet<>();
            for (DomUConfigFile o : others) {
                o.diskTargets().forEach(t -> othersTargets.add(identity(t)));
            }
            List<String> disks = cfg.get().disks();
            List<String> targets = cfg.get().diskTargets();
            for (int i = 0; i < targets.size(); i++) {
                String t = targets.get(i);
                if (!Path.of(t).isAbsolute() || !Path.of(t).normalize().toString().equals(t)) {
                    left.add(t + ": not a plain absolute path (relative, or with . or .. in it); jxen touches only disks it can name exactly");
                } else if (othersTargets.contains(identity(t))) {
                    left.add(t + ": another guest's .cfg names it too");
                } else if (readOnly(disks.get(i))) {
                    left.add(t + ": read-only in " + cfg.get().file() + ", perhaps shared");
                } else {
                    classify(t, owned, left, runner);
                }
            }
            for (Owned o : owned) {
                if (o instanceof ImageFile f && domainDir == null && f.path().getParent() != null
                        && f.path().getParent().getFileName().toString().equals(guest)) {
                    domainDir = f.path().getParent();
                }
            }
        } else if (location != null) {
            switch (location.kind()) {
                case DIR -> {
                    for (String p : partitions) {
                        Path img = domainDir.resolve(p + ".img");
                        if (Files.isRegularFile(img, LinkOption.NOFOLLOW_LINKS)) {
                            owned.add(new ImageFile(img));
                        }
                    }
                }
                case LVM -> volumes(guest, ((StorageTarget.Lvm) location).vg(), partitions, runner, owned, left);
                case ZPOOL -> datasets(guest, ((StorageTarget.Zpool) location).pool(), partitions, runner, owned, left);
                default -> left.add(location.path(guest, "disk") + ": an existing device; jxen removes only the images and volumes it makes");
            }
        }
        if (domainDir != null && Files.isDirectory(domainDir, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(domainDir)) {
                for (Path p : s) {
                    if (owned.stream().noneMatch(o -> o instanceof ImageFile f && f.path().equals(p))) {
                        left.add(p + ": not one of " + guest + "'s images");
                    }
                }
            }
        }
        return new GuestStorage(owned, left, domainDir);
    }

    /** What a disk target is, whatever path names it: where its links lead, else the path with . and .. taken out. */
    private static String identity(String target) {
        Path p = Path.of(target).toAbsolutePath();
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return p.normalize().toString();
        }
    }

    private static boolean readOnly(String disk) {
        for (String part : disk.split(",")) {
            String p = part.strip();
            if (p.equals("access=ro") || p.equals("access=r") || p.equals("r") || p.equals("ro")) {
                return true;
            }
            if (p.startsWith("target=")) {
                break;
            }
        }
        return false;
    }

    private static void classify(String target, List<Owned> owned, List<String> left, CommandRunner runner) {
        Path p = Path.of(target);
        if (target.startsWith("/dev/zvol/")) {
            owned.add(new ZfsVolume(target.substring("/dev/zvol/".length())));
            return;
        }
        Matcher lv = LV_PATH.matcher(target);
        if (lv.matches() && !lv.group(1).equals("mapper")) {
            CommandResult r = runner.run(Command.of("lvs", "--noheadings", "-o", "lv_name", lv.group(1) + "/" + lv.group(2))
                    .capturing().withTimeout(LIMIT), l -> { });
            if (r.ok() && r.stdout().strip().equals(lv.group(2))) {
                owned.add(new LogicalVolume(lv.group(1), lv.group(2)));
                return;
            }
        }
        if (target.startsWith("/dev/")) {
            left.add(target + ": a device jxen does not make (only image files, logical volumes and ZFS volumes are removed)");
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            owned.add(new ImageFile(p));
        } else if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            left.add(target + ": does not exist");
        } else {
            left.add(target + ": not a regular file");
        }
    }

    private static void volumes(String guest, String vg, List<String> partitions, CommandRunner runner, List<Owned> owned, List<String> left) {
        CommandResult r = runner.run(Command.of("lvs", "--noheadings", "-o", "lv_name", vg).capturing().withTimeout(LIMIT), l -> { });
        if (!r.ok()) {
            throw new dev.jxen.error.HostStateException("cannot list the logical volumes of " + vg + ": lvs exited with status " + r.status()
                    + (r.tail().isEmpty() ? "" : " (" + String.join(" / ", r.tail()) + ")"), "check the volume group with: vgs " + vg);
        }
        mine(guest, vg + "/", List.of(r.stdout().strip().split("\\s+")), partitions, owned, left, name -> new LogicalVolume(vg, name));
    }

    private static void datasets(String guest, String pool, List<String> partitions, CommandRunner runner, List<Owned> owned, List<String> left) {
        CommandResult r = runner.run(Command.of("zfs", "list", "-H", "-o", "name", "-r", pool).capturing().withTimeout(LIMIT), l -> { });
        if (!r.ok()) {
            throw new dev.jxen.error.HostStateException("cannot list the datasets of " + pool + ": zfs exited with status " + r.status(),
                    "check the pool with: zfs list " + pool);
        }
        List<String> names = new ArrayList<>();
        for (String d : r.stdout().strip().split("\\s+")) {
            if (d.startsWith(pool + "/") && d.indexOf('/', pool.length() + 1) < 0) {
                names.add(d.substring(pool.length() + 1));
            }
        }
        mine(guest, pool + "/", names, partitions, owned, left, name -> new ZfsVolume(pool + "/" + name));
    }

    private static void mine(String guest, String prefix, List<String> names, List<String> partitions, List<Owned> owned, List<String> left,
                             java.util.function.Function<String, Owned> make) {
        Set<String> exact = new LinkedHashSet<>();
        partitions.forEach(p -> exact.add(guest + "-" + p));
        for (String n : names) {
            if (n.isEmpty()) {
                continue;
            }
            if (exact.contains(n)) {
                owned.add(make.apply(n));
            } else if (n.startsWith(guest + "-")) {
                left.add(prefix + n + ": not one of " + guest + "'s volumes (" + String.join(", ", exact) + ")");
            }
        }
    }
}
