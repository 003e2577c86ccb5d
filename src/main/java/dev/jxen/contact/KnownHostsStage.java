package dev.jxen.contact;

import dev.jxen.customize.HostKey;
import dev.jxen.config.ImageSpec;
import dev.jxen.customize.HostIdentity;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.Plans;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.StageResult;
import dev.jxen.system.FilePlace;
import dev.jxen.system.SystemUndo;
import dev.jxen.system.TextFiles;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * --known-hosts FILE: the guest's SSH host keys for its address, hashed, so that {@code ssh root@ADDRESS}
 * connects without asking. Lines an earlier guest left for the same address go (as ssh-keygen -R
 * removes them); a failed create puts the file back as it was.
 */
public final class KnownHostsStage implements Stage<Void> {
    private final Path file;
    private final String address;
    private final StageResult<HostIdentity> identity;
    private final Path lockDir;

    public KnownHostsStage(ImageSpec spec, String address, StageResult<HostIdentity> identity, Path lockDir) {
        this.file = spec.domain().after().knownHosts();
        this.lockDir = lockDir;
        this.address = address;
        this.identity = identity;
    }

    @Override
    public String name() {
        return "known hosts";
    }

    @Override
    public void verify() {
        FilePlace place = FilePlace.of(file, "--known-hosts");
        if (place.rootOnly() && !java.nio.file.Files.isWritable(place.dir())) {
            throw new dev.jxen.error.HostStateException("--known-hosts " + file + ": its directory " + place.dir() + " cannot be written",
                    "give a known_hosts file in a directory that can be written");
        }
    }

    @Override
    public List<PlannedAction> plan(Plans plans) {
        return List.of(PlannedAction.write(file.toString(), "the guest's SSH host keys for " + address
                + ", hashed; earlier lines for " + address + " go"));
    }

    @Override
    public Void run(StageContext ctx) throws Exception {
        List<HostKey> keys = HostKey.parseAll(ctx.get(identity).sshPublicKeys());
        if (keys.isEmpty()) {
            ctx.warn("the guest has no SSH host keys: nothing added to " + file);
            return null;
        }
        String host = KnownHosts.hostName(address, 22);
        List<String> mine = KnownHosts.lines(host, keys, new SecureRandom());
        TextFiles.edit(file, "--known-hosts", lockDir, ctx.runner(), lines -> {
            List<String> stale = lines.stream().filter(l -> KnownHosts.names(l, host)).toList();
            for (int i = 0; i < mine.size(); i++) {
                ctx.undo().rollbackAlways(new SystemUndo.RestoreLines(file, mine.get(i), i == 0 ? stale : List.of(),
                        "restore " + file + " as it was before " + address + "'s keys", lockDir));
            }
            lines.removeAll(stale);
            lines.addAll(mine);
            if (!stale.isEmpty()) {
                ctx.info("removed " + stale.size() + " earlier line(s) for " + address + " from " + file);
            }
            return Optional.of(lines);
        });
        ctx.info("added the guest's " + keys.size() + " SSH host keys for " + address + " to " + file + " (hashed)");
        return null;
    }
}
