package dev.jxen.xen;

import org.junit.jupiter.api.Test;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The installer's screen, as newt draws it on a Xen console, read back as lines of text. */
class DomainConsoleTest {
    @Test
    void dialogsDrawnWithCursorJumpsComeBackAsLinesEvenWhenASequenceIsSplit() throws Exception {
        PipedOutputStream guest = new PipedOutputStream();
        try (DomainConsole console = DomainConsole.reading(new PipedInputStream(guest, 1 << 16))) {
            guest.write("JXEN-PRESEED: read by the installer, hostname inst1\r\n\u001b[0;37;44m\u001b[1;1H".getBytes(StandardCharsets.UTF_8));
            guest.write("\u001b[6;10H\u001b(0lqqqqqqqqu\u001b(B\u001b[0;1;37;41m [!!] Choose a mirror of the Debian archive \u001b[7".getBytes(StandardCharsets.UTF_8));
            guest.flush();
            List<String> lines = new ArrayList<>(console.lines(Duration.ofSeconds(5)));
            guest.write(";12HBad archive mirror\u001b[K\r\n".getBytes(StandardCharsets.UTF_8));
            guest.close();
            for (int i = 0; i < 10 && !console.ended(); i++) {
                lines.addAll(console.lines(Duration.ofSeconds(1)));
            }
            assertTrue(console.ended(), "the closed stream ends the console");
            assertEquals("JXEN-PRESEED: read by the installer, hostname inst1", lines.get(0), lines.toString());
            assertTrue(lines.contains("[!!] Choose a mirror of the Debian archive"), "the box around the title is blanked: " + lines);
            assertTrue(lines.contains("Bad archive mirror"), "the sequence split between two reads is taken out whole: " + lines);
            assertFalse(lines.stream().anyMatch(l -> l.contains("\u001b") || l.contains(";12H")), lines.toString());
        }
    }
}
