package dev.jxen.e2e;

import dev.jxen.cli.InProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jxen on a real Xen: tests/xen-e2e/run-rig.sh boots Xen and a jxen-made dom0 under QEMU and runs the
 * dom0's test script inside it; this test runs the rig for each dom0, one after the other (two emulated
 * dom0s at once on 2 cores slowed the README's PVH guest past its 900 s wait for SSH), and checks every result.
 * <ul>
 * <li>Debian 12 with Xen 4.17 (dom0-test.sh): two LVM-backed guests (bookworm PV with pygrub, which jxen
 * starts and reaches over SSH with the host key it made; trixie PV with pvgrub2 and networkd, which boots
 * again as PVH with pvgrub2) boot to a login prompt and answer ping; list, delete of the first while the
 * other keeps its volumes, a failed create after lvcreate; on LVM thin, two guests whose roots are thin snapshots of the cached base, one booted.</li>
 * <li>Debian 13 with Xen 4.20 (dom0-test-13.sh): first, on this machine, a Debian 13 tree as a new user
 * has it runs tests/install-deps and the README's first command, and installs the .deb; in the dom0, the
 * README's first command's guest (image file, root cloned from the base-tree cache, PVH with GRUB 2.12's
 * pvgrub2, started from its .cfg as written, SSH verified), a bookworm PV guest with pygrub on LVM, list
 * and delete, the installer route, and the thin-snapshot guests.</li>
 * </ul>
 * The result file names each booted guest with the dom0's release, the Xen version, the guest's release,
 * type, boot path and storage, whether its .cfg was as jxen wrote it, and its seconds to login and SSH.
 */
@Tag("root")
@Tag("vm")
class XenRigIT {
    static final List<String> CHECKS_12 = List.of("vg", "bridge", "pvh-capable", "plan-bookworm-default", "plan-trixie-default",
            "plan-trixie-pv", "create-g1", "create-g1-b", "ssh-g1", "known-hosts-g1", "login-g1", "ping-g1", "xl-list", "list-images", "delete-refuses-running",
            "delete", "deleted-volumes-and-cfg", "others-kept-after-delete", "others-intact-after-delete", "login-g1-b", "ping-g1-b",
            "update-g1-b", "tmpfs-role-g1-b", "login-g1-b-pvh", "ping-g1-b-pvh",
            "create-p-xfs", "create-p-btrfs", "login-p-xfs", "ping-p-xfs", "login-p-btrfs", "ping-p-btrfs", "delete-paths", "fault-exit-4", "fault-rollback-lvremove",
            "thin-pool", "plan-thin-snapshot", "create-thin1", "thin1-root-is-snapshot", "thin1-own-uuid-and-size", "thin2-shares-base",
            "login-thin1", "ping-thin1", "thin-delete-keeps-base", "thin-cache-keeps-used-base", "thin-cache-prunes-unused-base");
    /** The checks made on this machine before the Debian 13 dom0 boots; the dom0's own are the "# check:" lines of its script. */
    static final List<String> HOST_CHECKS_13 = List.of("new-user-13", "deb-13");

    @Test
    void debian12WithXen417() throws Exception {
        List<String> results = Rig.start("bookworm", rig12()).results();
        assertChecks(CHECKS_12, results);
        assertGuests(results, "12", "4.17", Map.of("g1", "bookworm, PV, pygrub", "g1-b", "trixie, PV, pvgrub2",
                "g1-b-pvh", "trixie, PVH, pvgrub2", "thin1", "bookworm, PV, pygrub", "p-xfs", "bookworm, PV, pvgrub2",
                "p-btrfs", "bookworm, PV, pvgrub2"));
    }

    @Test
    void debian13WithXen420() throws Exception {
        List<String> checks = new ArrayList<>(HOST_CHECKS_13);
        for (String line : Files.readAllLines(InProcess.home().resolve("tests/xen-e2e/dom0-test-13.sh"))) {
            if (line.startsWith("# check: ")) {
                checks.add(line.substring("# check: ".length()).strip());
            }
        }
        assertTrue(checks.containsAll(List.of("login-d13", "ssh-d13", "cfg-as-written-d13", "login-g13", "login-thin1",
                "delete-refuses-running-g13", "delete-after-shutdown-g13")), "the Debian 13 dom0's required checks: " + checks);
        List<String> results = Rig.start("trixie", rig13()).results();
        assertChecks(checks, results);
        assertGuests(results, "13", "4.20", Map.of("d13", "trixie, PVH, pvgrub2", "g13", "bookworm, PV, pygrub",
                "thin1", "bookworm, PV, pygrub"));
        assertTrue(results.stream().anyMatch(l -> Pattern.matches("guest d13: .*cfg as written: yes, login \\d+ s, SSH [0-9.]+ s, resets .*", l)),
                "d13 booted from its .cfg as written and answered SSH with its own key: " + results);
    }

    private static Path rig12() {
        return Path.of(System.getenv().getOrDefault("JXEN_RIG_DIR", "/var/tmp/jxen-xen-rig"));
    }

    private static Path rig13() {
        return Path.of(System.getenv().getOrDefault("JXEN_RIG_DIR_13", "/var/tmp/jxen-xen-rig-13"));
    }

    private record Rig(String dom0, Path dir, Path log, Process process) {
        static Rig start(String dom0, Path dir) throws Exception {
            Jxen.assumeRoot();
            Path log = Files.createTempFile("xen-rig-" + dom0, ".log");
            ProcessBuilder pb = new ProcessBuilder(InProcess.home().resolve("tests/xen-e2e/run-rig.sh").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("JXEN_RIG_DOM0", dom0);
            pb.environment().put("JXEN_RIG_DIR", dir.toString());
            return new Rig(dom0, dir, log, pb.start());
        }

        List<String> results() throws Exception {
            assertTrue(process.waitFor(90, TimeUnit.MINUTES), "the " + dom0 + " rig did not finish in 90 minutes");
            String out = Files.readString(log);
            System.out.println("===== the " + dom0 + " rig\n" + out);
            assertEquals(0, process.exitValue(), out);
            return Files.readAllLines(dir.resolve("results/result.txt"));
        }
    }

    private static void assertChecks(List<String> checks, List<String> results) {
        for (String check : checks) {
            assertTrue(results.stream().anyMatch(l -> l.startsWith(check + ": ok")), check + " did not pass: " + results);
        }
    }

    /** One line per booted guest: the dom0's release and Xen version, the guest's release, type and boot path, and its seconds to login. */
    private static void assertGuests(List<String> results, String debian, String xen, Map<String, String> guests) {
        guests.forEach((name, what) -> {
            Pattern line = Pattern.compile("guest " + Pattern.quote(name) + ": dom0 Debian " + debian + "\\.[0-9.]+, Xen " + Pattern.quote(xen)
                    + "\\.\\S+, guest " + Pattern.quote(what) + "\\b.*, cfg as written: (yes|no: .+), login \\d+ s, SSH .+");
            assertTrue(results.stream().anyMatch(l -> line.matcher(l).matches()), "no record of " + name + " as " + what + ": " + results);
        });
    }
}
