package dev.jxen.e2e;

import dev.jxen.cli.InProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jxen on a real Xen: tests/xen-e2e/run-rig.sh boots Xen and a jxen-made dom0 under QEMU and runs the
 * dom0's test script inside it; this test runs the rig for each dom0, one after the other (two emulated
 * dom0s at once on 2 cores slowed the README's PVH guest past its wait for SSH), and requires every check
 * the dom0's script names in its "# check:" lines.
 * <ul>
 * <li>Debian 12 with Xen 4.17 (dom0-test.sh, dom0-paths.sh, dom0-thin.sh): bookworm PV with pygrub,
 * trixie PV with pvgrub2 and networkd (updated with hooks and a role, then booted as PV and PVH), xfs and
 * btrfs roots, the dom0-kernel path, routed and NATed guests reaching a network beyond the dom0, a
 * reflink-cloned root under --dir on XFS, separate /usr, /var and /home, a thin snapshot; list, delete,
 * a failed create, a refused pygrub on btrfs.</li>
 * <li>Debian 13 with Xen 4.20 (dom0-test-13.sh): first, on this machine, a Debian 13 tree as a new user
 * has it runs tests/install-deps and the README's first command, and installs the .deb; in the dom0, the
 * README's first command's guest (image file, root cloned from the base-tree cache, PVH with GRUB 2.12's
 * pvgrub2, from its .cfg as written, SSH verified), bookworm PV with pygrub on LVM, forky PV with pvgrub2,
 * the Ansible collection driven from this machine, list and delete, the installer route, thin snapshots.</li>
 * </ul>
 * Each booted guest's line (dom0 release, Xen version, guest release, type, boot path, storage,
 * filesystem, network, whether its .cfg was as jxen wrote it, seconds to login and SSH) must match the
 * README's table of what is proven on Xen ({@link ProvenOnXen}).
 */
@Tag("root")
@Tag("vm")
class XenRigIT {
    /** The checks made on this machine for the Debian 13 dom0 before it boots: a new user's Debian 13. */
    static final List<String> HOST_CHECKS_13 = List.of("new-user-13", "deb-13");

    @Test
    void debian12WithXen417() throws Exception {
        List<String> checks = checks("dom0-test.sh");
        assertTrue(checks.containsAll(List.of("login-g1", "known-hosts-g1", "login-p-kernel", "beyond-p-route", "beyond-p-nat",
                "reflink-p-reflink", "login-p-parts", "update-g1-b", "login-thin1")), "the Debian 12 dom0's required checks: " + checks);
        List<String> results = Rig.start("bookworm", rig12()).results();
        assertChecks(checks, results);
        assertProven("Debian 12, Xen 4.17", results);
    }

    @Test
    void debian13WithXen420() throws Exception {
        List<String> checks = new ArrayList<>(HOST_CHECKS_13);
        checks.addAll(checks("ansible-controller.sh"));
        checks.addAll(checks("dom0-test-13.sh"));
        assertTrue(checks.containsAll(List.of("login-d13", "ssh-d13", "cfg-as-written-d13", "login-g13", "login-f13", "login-thin1",
                "delete-refuses-running-g13", "delete-after-shutdown-g13", "ansible-controller-done", "ansible-started", "ansible-stopped")), "the Debian 13 dom0's required checks: " + checks);
        List<String> results = Rig.start("trixie", rig13()).results();
        assertChecks(checks, results);
        assertProven("Debian 13, Xen 4.20", results);
        assertTrue(results.stream().anyMatch(l -> Pattern.matches("guest d13: .*cfg as written: yes, login \\d+ s, SSH [0-9.]+ s, resets .*", l)),
                "d13 booted from its .cfg as written and answered SSH with its own key: " + results);
    }

    /** The "# check:" lines of a dom0's script: the checks that must pass. */
    private static List<String> checks(String script) throws Exception {
        List<String> checks = new ArrayList<>();
        for (String line : Files.readAllLines(InProcess.home().resolve("tests/xen-e2e").resolve(script))) {
            if (line.startsWith("# check: ")) {
                checks.add(line.substring("# check: ".length()).strip());
            }
        }
        return checks;
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

    /**
     * The README's table of what is proven on Xen, for this dom0, and the run's guest lines are the same
     * rows (in any order), each guest booted to its login prompt; on a difference, the rows this run gives.
     */
    static void assertProven(String dom0, List<String> results) throws Exception {
        List<ProvenOnXen> readme = ProvenOnXen.readme(InProcess.home().resolve("README.md")).stream().filter(r -> r.dom0().equals(dom0)).toList();
        List<ProvenOnXen> run = ProvenOnXen.results(results);
        String generated = run.stream().map(ProvenOnXen::row).collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(new java.util.HashSet<>(readme), new java.util.HashSet<>(run),
                "the README's proven-on-Xen rows for " + dom0 + " and this run's guests differ; this run gives:\n" + generated);
        assertEquals(readme.size(), run.size(), "a guest recorded twice: " + generated);
        for (ProvenOnXen guest : run) {
            assertTrue(results.stream().anyMatch(l -> Pattern.matches("guest " + Pattern.quote(guest.guest()) + ": .*, login \\d+ s, .*", l)),
                    guest.guest() + " has no login time: " + results);
        }
    }
}
