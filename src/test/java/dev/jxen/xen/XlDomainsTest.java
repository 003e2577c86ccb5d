package dev.jxen.xen;

import dev.jxen.system.Dom0Paths;
import dev.jxen.system.LocalCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What xl says about running domains, with a real stand-in xl run by the real runner. */
class XlDomainsTest {
    @TempDir
    Path tmp;

    private Dom0Paths paths(Path hypervisor, Path xl) {
        return Dom0Paths.from(Map.of("JXEN_HYPERVISOR_TYPE", hypervisor.toString(), "JXEN_XL", xl.toString()));
    }

    private Path script(String body) throws Exception {
        Path xl = Files.writeString(tmp.resolve("xl-" + System.nanoTime()), "#!/bin/sh\n" + body + "\n");
        xl.toFile().setExecutable(true);
        return xl;
    }

    @Test
    void aHungXlIsStoppedAtItsTimeLimitAndReadAsUnknown() throws Exception {
        Path hypervisor = Files.writeString(tmp.resolve("type"), "xen\n");
        long t0 = System.nanoTime();
        XlDomains d = XlDomains.query(new LocalCommandRunner(), paths(hypervisor, script("exec sleep 600")), Duration.ofSeconds(2));
        assertEquals(XlDomains.State.UNKNOWN, d.state("web"));
        assertTrue(d.why().contains("status 124") && d.why().contains("did not finish within 2 s"), d.why());
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "the time limit did not fire");
    }

    @Test
    void withoutAHypervisorNothingRuns() throws Exception {
        XlDomains d = XlDomains.query(new LocalCommandRunner(), paths(tmp.resolve("none"), script("exit 1")), Duration.ofSeconds(2));
        assertEquals(XlDomains.State.STOPPED, d.state("web"));
        assertTrue(d.why().contains("no Xen hypervisor"), d.why());
    }

    @Test
    void xlsListIsRead() throws Exception {
        Path hypervisor = Files.writeString(tmp.resolve("type"), "xen\n");
        XlDomains d = XlDomains.query(new LocalCommandRunner(), paths(hypervisor,
                script("printf 'Name ID Mem VCPUs State Time(s)\\nDomain-0 0 768 2 r----- 9.1\\nweb1 4 512 1 -b---- 0.2\\n'")), Duration.ofSeconds(5));
        assertEquals(XlDomains.State.RUNNING, d.state("web1"));
        assertEquals(XlDomains.State.STOPPED, d.state("web"));
    }
}
