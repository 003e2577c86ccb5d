package dev.jxen.e2e;

import dev.jxen.cli.InProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jxen on a real Xen: tests/xen-e2e/run-rig.sh boots Xen 4.17 and a jxen-made dom0 under QEMU and,
 * inside it, makes two LVM-backed guests with jxen (bookworm PV with pygrub, which jxen starts and
 * reaches over SSH with the host key it made; trixie PV with pvgrub2 and networkd, which boots again
 * as PVH with pvgrub2), boots each to a login prompt and pings it,
 * lists them, deletes the first while the other keeps its volumes, and fails a create after lvcreate;
 * then runs the Debian Installer as a Xen guest with jxen's preseed (--install-method installer); then, on
 * LVM thin, makes two guests whose roots are thin snapshots of the cached base's thin volume, and boots one.
 * This test runs the rig and checks every result.
 */
@Tag("root")
@Tag("vm")
class XenRigIT {
    static final List<String> CHECKS = List.of("vg", "bridge", "pvh-capable", "plan-bookworm-default", "plan-trixie-default",
            "plan-trixie-pv", "create-g1", "create-g1-b", "ssh-g1", "known-hosts-g1", "login-g1", "ping-g1", "xl-list", "list-images", "delete-refuses-running",
            "delete", "deleted-volumes-and-cfg", "others-kept-after-delete", "others-intact-after-delete", "login-g1-b", "ping-g1-b",
            "login-g1-b-pvh", "ping-g1-b-pvh", "fault-exit-4", "fault-rollback-lvremove",
            "installer-xen-guest", "installer-read-preseed", "installer-network-from-preseed", "installer-stops-at-dialog", "installer-rollback",
            "thin-pool", "plan-thin-snapshot", "create-thin1", "thin1-root-is-snapshot", "thin1-own-uuid-and-size", "thin2-shares-base",
            "login-thin1", "ping-thin1", "thin-delete-keeps-base", "thin-cache-keeps-used-base", "thin-cache-prunes-unused-base");

    @Test
    void anLvmBackedGuestBootsOnXenAnswersAndIsDeletedCleanly() throws Exception {
        Jxen.assumeRoot();
        Assumptions.assumeTrue(Files.exists(Path.of("/boot/xen-4.17-amd64.gz")), "no Xen hypervisor image (tests/install-deps test installs it)");
        Path rig = Path.of(System.getenv().getOrDefault("JXEN_RIG_DIR", "/var/tmp/jxen-xen-rig"));
        Path log = Files.createTempFile("xen-rig", ".log");
        Process p = new ProcessBuilder(InProcess.home().resolve("tests/xen-e2e/run-rig.sh").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(75, TimeUnit.MINUTES), "the rig did not finish in 75 minutes");
        String out = Files.readString(log);
        System.out.println(out);
        assertEquals(0, p.exitValue(), out);
        List<String> results = Files.readAllLines(rig.resolve("results/result.txt"));
        for (String check : CHECKS) {
            assertTrue(results.stream().anyMatch(l -> l.startsWith(check + ": ok")), check + " did not pass: " + results);
        }
    }
}
