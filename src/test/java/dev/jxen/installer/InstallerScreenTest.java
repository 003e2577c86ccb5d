package dev.jxen.installer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The installer's console as jxen reads it: the preseed's two lines, and a dialog that stands. */
class InstallerScreenTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void thePreseedsLinesTellThatItWasReadAndThatTheInstallIsComplete() {
        InstallerScreen s = new InstallerScreen();
        assertEquals(Optional.empty(), s.take("Starting system log daemon: syslogd, klogd.", 0));
        assertEquals(Optional.of("the installer read jxen's preseed"), s.take("JXEN-PRESEED: read by the installer, hostname web1", SECOND));
        assertEquals(Optional.empty(), s.take("JXEN-PRESEED: read by the installer, hostname web1", 2 * SECOND), "said once");
        assertFalse(s.installed());
        assertTrue(s.take("JXEN-INSTALLED: web1", 3 * SECOND).isPresent());
        assertTrue(s.installed());
        assertEquals(Optional.empty(), s.stoppedAt(100 * SECOND), "no dialog: no stop");
    }

    @Test
    void aDialogThatStandsIsTheStopWithItsTextButNotItsButtons() {
        InstallerScreen s = new InstallerScreen();
        s.take("[!!] Choose a mirror of the Debian archive", 10 * SECOND);
        s.take("Bad archive mirror", 10 * SECOND);
        s.take("Please check the specified mirror or try a different one.", 11 * SECOND);
        s.take("<Go Back> <Continue>", 11 * SECOND);
        s.take("<Tab> moves; <Space> selects; <Enter> activates buttons", 11 * SECOND);
        assertEquals(Optional.empty(), s.stoppedAt(15 * SECOND), "its text may still be arriving");
        assertEquals(Optional.of("\"Choose a mirror of the Debian archive\": Bad archive mirror Please check the specified mirror or try a different one."),
                s.stoppedAt(21 * SECOND));
        assertEquals("<Tab> moves; <Space> selects; <Enter> activates buttons", s.last());
    }
}
