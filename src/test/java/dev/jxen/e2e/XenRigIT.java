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
 * inside it, makes an LVM-backed guest with jxen, boots it to a login prompt, pings it, lists it,
 * makes a second guest g1-b on the same volume group, deletes the first and boots the second, and
 * fails a create after lvcreate. This test runs the rig and checks every result.
 */
@Tag("root")
@Tag("vm")
class XenRigIT {
    static final List<String> CHECKS = List.of("vg", "bridge", "create", "xl-list", "console-login", "ping", "list-images",
            "create-g1-b", "delete-refuses-running", "delete", "deleted-volumes-and-cfg", "g1b-kept-after-delete", "g1b-console-login",
            "delete-g1-b", "fault-exit-4", "fault-rollback-lvremove");

    @Test
    void anLvmBackedGuestBootsOnXenAnswersAndIsDeletedCleanly() throws Exception {
        Jxen.assumeRoot();
        Assumptions.assumeTrue(Files.exists(Path.of("/boot/xen-4.17-amd64.gz")), "no Xen hypervisor image (tests/install-deps test installs it)");
        Path rig = Path.of(System.getenv().getOrDefault("JXEN_RIG_DIR", "/var/tmp/jxen-xen-rig"));
        Path log = Files.createTempFile("xen-rig", ".log");
        Process p = new ProcessBuilder(InProcess.home().resolve("tests/xen-e2e/run-rig.sh").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(45, TimeUnit.MINUTES), "the rig did not finish in 45 minutes");
        String out = Files.readString(log);
        System.out.println(out);
        assertEquals(0, p.exitValue(), out);
        List<String> results = Files.readAllLines(rig.resolve("results/result.txt"));
        for (String check : CHECKS) {
            assertTrue(results.stream().anyMatch(l -> l.startsWith(check + ": ok")), check + " did not pass: " + results);
        }
    }
}
