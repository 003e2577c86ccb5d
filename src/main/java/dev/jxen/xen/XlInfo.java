package dev.jxen.xen;

import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.Dom0Paths;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the hypervisor can run, from {@code xl info}'s virt_caps (pv, hvm, hap, ...): PVH guests need
 * hvm. On a machine without Xen, or when xl fails or hangs, it cannot be told.
 *
 * @param virtCaps the capabilities, or empty when they cannot be known
 * @param how      where the answer came from, or why there is none
 */
public record XlInfo(Optional<Set<String>> virtCaps, String how) {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    public static XlInfo query(CommandRunner runner, Dom0Paths dom0) {
        if (!onXen(dom0)) {
            return new XlInfo(Optional.empty(), "this machine runs on no Xen hypervisor (" + dom0.hypervisorType() + ")");
        }
        Command info = Command.of(dom0.xl(), "info").capturing().withTimeout(LIMIT).withLabel("xl");
        CommandResult r = runner.run(info, line -> { });
        if (!r.ok()) {
            return new XlInfo(Optional.empty(), "'" + info.display() + "' failed (status " + r.status() + ")");
        }
        return parse(r.stdout());
    }

    static XlInfo parse(String xlInfo) {
        for (String line : xlInfo.split("\n")) {
            String[] kv = line.split(":", 2);
            if (kv.length == 2 && kv[0].strip().equals("virt_caps")) {
                Set<String> caps = new LinkedHashSet<>(Arrays.asList(kv[1].strip().split("\\s+")));
                return new XlInfo(Optional.of(caps), "xl info: virt_caps " + kv[1].strip());
            }
        }
        return new XlInfo(Optional.empty(), "xl info names no virt_caps");
    }

    /** Whether the hypervisor runs PVH guests; empty when that cannot be told. */
    public Optional<Boolean> runsPvh() {
        return virtCaps.map(c -> c.contains("hvm"));
    }

    private static boolean onXen(Dom0Paths dom0) {
        try {
            return Files.isRegularFile(dom0.hypervisorType()) && Files.readString(dom0.hypervisorType()).strip().equals("xen");
        } catch (IOException e) {
            return true;
        }
    }
}
