package dev.jxen.storage;

import dev.jxen.error.StageFailedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A guest's fstab is untrusted: only clean absolute mountpoints, each once, are mounted by update. */
class CfgDisksStageTest {

    @ParameterizedTest
    @ValueSource(strings = {"/../../../etc/cron.d", "/home/../../root/.ssh", "/.", "/var/.", "home", "/var//tmp", "/srv/"})
    void aMountpointThatIsNotCleanIsRefusedWithItsLine(String mp) {
        String fstab = "proc /proc proc defaults 0 0\n/dev/xvda2 / ext4 defaults 0 1\n/dev/xvda3 " + mp + " ext4 defaults 0 2\n";
        StageFailedException e = assertThrows(StageFailedException.class, () -> CfgDisksStage.fstab(fstab, "disk.img"));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains(mp), e.getMessage());
    }

    @Test
    void aMountpointUsedTwiceIsRefused() {
        String fstab = "/dev/xvda2 / ext4 defaults 0 1\n/dev/xvda3 /srv ext4 defaults 0 2\n/dev/xvda4 /srv xfs defaults 0 2\n";
        StageFailedException e = assertThrows(StageFailedException.class, () -> CfgDisksStage.fstab(fstab, "disk.img"));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("also on line 2"), e.getMessage());
    }

    @Test
    void cleanLinesAreReadByDevice() {
        var m = CfgDisksStage.fstab("/dev/xvda2 / ext4 defaults 0 1\n/dev/xvda1 none swap sw 0 0\n/dev/xvda3 /var/lib/x_y ext4 nodev 0 2\n", "d");
        assertEquals("/var/lib/x_y", m.get("xvda3")[1]);
        assertEquals("swap", m.get("xvda1")[2]);
    }
}
