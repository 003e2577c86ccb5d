package dev.jxen.customize;

import dev.jxen.error.InvalidInputException;
import dev.jxen.guest.GuestRoot;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.BoundedFiles;
import dev.jxen.system.FileTrust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies the configuration directory's {@code skel/} into the guest, as xen-tools' hook
 * 65-copy-user-files does with {@code /etc/xen-tools/skel}: directories, files and links at the same
 * paths, with their owners and modes. Every path is resolved inside the guest, so a link there leads
 * no copy out of it; a directory the guest already has keeps its owner and mode. Since what skel holds
 * lands in every guest, only root may be able to change it, and it holds nothing but directories,
 * plain files and links, without set-id or sticky bits.
 */
public final class SkelStage implements Stage<Void> {
    static final int MAX_ENTRIES = 10_000;
    static final long MAX_BYTES = 256L << 20;
    private final Path skel;
    private final StageResult<MountedRoot> mounted;

    /** @param skel the skel directory of the configuration in use ({@code /etc/xen-tools/skel}); nothing is copied when there is none */
    public SkelStage(Path skel, StageResult<MountedRoot> mounted) {
        this.skel = skel;
        this.mounted = mounted;
    }

    @Override
    public String name() {
        return "skel files";
    }

    enum Kind { DIRECTORY, FILE, LINK }

    /** One entry of skel: its path below skel ({@code root/.bashrc}), what it is, owner, mode, and a link's target. */
    record Entry(String path, Kind kind, int uid, int gid, String mode, String target, Path source) {
    }

    /** skel's entries, parents before their children; refused when root alone could not have made them or they are not plain. */
    List<Entry> entries() throws IOException {
        if (!Files.isDirectory(skel)) {
            return List.of();
        }
        FileTrust.problemOfTree(skel).ifPresent(p -> {
            throw new InvalidInputException("skel directory " + p + "; its files go into every guest, so jxen copies only what root alone can change");
        });
        // a link to the directory is followed, as xen-tools' cd is; nothing below it is
        Path real = skel.toRealPath();
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        try (var walk = Files.walk(real)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(real)) {
                    continue;
                }
                if (out.size() == MAX_ENTRIES) {
                    throw new InvalidInputException("skel directory " + skel + ": holds more than " + MAX_ENTRIES + " entries; copy such trees with --install-source or a role");
                }
                String rel = real.relativize(p).toString();
                if (rel.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new InvalidInputException("skel file " + p + ": a control character in its name");
                }
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                if (Files.isSymbolicLink(p)) {
                    out.add(new Entry(rel, Kind.LINK, uid, gid, perms, Files.readSymbolicLink(p).toString(), p));
                    continue;
                }
                if ((mode & 07000) != 0) {
                    throw new InvalidInputException("skel file " + p + ": has a set-id or sticky bit (mode " + Integer.toOctalString(mode & 07777)
                            + "); jxen copies none into every guest (chmod ugo-s,o-t " + p + ")");
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(new Entry(rel, Kind.DIRECTORY, uid, gid, perms, null, p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    bytes += Files.size(p);
                    if (bytes > MAX_BYTES) {
                        throw new InvalidInputException("skel directory " + skel + ": holds more than " + (MAX_BYTES >> 20)
                                + " MiB; copy such trees with --install-source or a role");
                    }
                    out.add(new Entry(rel, Kind.FILE, uid, gid, perms, null, p));
                } else {
                    throw new InvalidInputException("skel file " + p + ": is neither a directory, a plain file nor a link; jxen copies no devices, pipes or sockets into a guest");
                }
            }
        }
        return out;
    }

    private List<Entry> checkedEntries() {
        try {
            return entries();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void verify() {
        checkedEntries();
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        List<Entry> entries = checkedEntries();
        if (entries.isEmpty()) {
            return List.of(PlannedAction.note(Files.isDirectory(skel) ? skel + " is empty" : "no " + skel + ": no skel files"));
        }
        List<PlannedAction> out = new ArrayList<>();
        for (Entry e : entries) {
            String what = switch (e.kind()) {
                case DIRECTORY -> "a directory (where the guest has none), ";
                case FILE -> "";
                case LINK -> "a link to " + e.target() + ", ";
            };
            out.add(PlannedAction.write("MOUNTPOINT/" + e.path(), what + "from " + e.source()
                    + (e.kind() == Kind.LINK ? "" : " (" + e.uid() + ":" + e.gid() + " " + e.mode() + ")")));
        }
        return out;
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        List<Entry> entries = entries();
        GuestRoot guest = GuestRoot.at(ctx.get(mounted).root());
        for (Entry e : entries) {
            switch (e.kind()) {
                case DIRECTORY:
                    if (!guest.isDirectory(e.path())) {
                        guest.directory(e.path());
                        guest.chown(e.path(), e.uid(), e.gid(), e.mode());
                    }
                    break;
                case FILE:
                    guest.writeAnew(e.path(), BoundedFiles.readBytes(e.source(), MAX_BYTES), e.mode());
                    guest.chown(e.path(), e.uid(), e.gid(), e.mode());
                    break;
                default:
                    guest.symlink(e.path(), e.target());
                    break;
            }
        }
        if (!entries.isEmpty()) {
            ctx.info("copied " + entries.size() + " entries of " + skel + " into the guest");
        }
        return null;
    }
}
