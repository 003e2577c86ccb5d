package dev.jxen.e2e;

import dev.jxen.cli.InProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's proven-on-Xen table parses, and each row's guest is one the rig's scripts record. */
class ProvenOnXenTest {
    @Test
    void readmeRowsNameGuestsTheRigRecords() throws Exception {
        List<ProvenOnXen> rows = ProvenOnXen.readme(InProcess.home().resolve("README.md"));
        assertTrue(rows.size() >= 10, rows.toString());
        StringBuilder scripts = new StringBuilder();
        try (var files = Files.list(InProcess.home().resolve("tests/xen-e2e"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sh")).toList()) {
                scripts.append(Files.readString(f));
            }
        }
        for (ProvenOnXen row : rows) {
            assertTrue(row.dom0().equals("Debian 12, Xen 4.17") || row.dom0().equals("Debian 13, Xen 4.20"), row.row());
            assertTrue(scripts.indexOf("guest_line " + row.guest() + " " + row.release() + " " + row.type() + " ") >= 0,
                    "no guest_line for " + row.row());
        }
    }

    /** The guest lines of the last rig runs (src/test/resources/rig, copied from their result files) pass XenRigIT's check. */
    @Test
    void theLastRunsMatchTheReadme() throws Exception {
        Path rig = InProcess.home().resolve("src/test/resources/rig");
        XenRigIT.assertProven("Debian 12, Xen 4.17", Files.readAllLines(rig.resolve("guests-debian12.txt")));
        XenRigIT.assertProven("Debian 13, Xen 4.20", Files.readAllLines(rig.resolve("guests-debian13.txt")));
    }

    @Test
    void aGuestLineIsARow() {
        List<ProvenOnXen> rows = ProvenOnXen.results(List.of("create-p-parts: ok boots as 'pvgrub2, PV'",
                "guest p-parts: dom0 Debian 12.15, Xen 4.17.5, guest bookworm, PV, pvgrub2 (GRUB 2.06), storage LVM (tar base), five volumes,"
                        + " fs ext4, xfs /home, network bridge (ifupdown), cfg as written: yes, login 80 s, SSH 91.2 s, resets 0 (triple faults Xen logged: 0)"));
        assertEquals(List.of(new ProvenOnXen("Debian 12, Xen 4.17", "p-parts", "bookworm", "PV", "pvgrub2 (GRUB 2.06)",
                "LVM (tar base), five volumes", "ext4, xfs /home", "bridge (ifupdown)", "yes")), rows);
        assertEquals("| Debian 12, Xen 4.17 | p-parts | bookworm | PV | pvgrub2 (GRUB 2.06) | LVM (tar base), five volumes | ext4, xfs /home"
                + " | bridge (ifupdown) | yes |", rows.get(0).row());
    }
}
