package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dom0HostsStageTest {
    @TempDir
    Path tmp;
    Path hosts;

    @BeforeEach
    void setUp() throws Exception {
        hosts = tmp.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost\n");
    }

    private void run(ImageSpec spec, boolean fail) {
        Pipeline.Builder p = Pipeline.builder(false, null);
        p.add(new Dom0HostsStage(spec, hosts, tmp.resolve("locks")));
        if (fail) {
            p.add(TestStages.failing());
        }
        p.build().run(new RecordingCommandRunner(), new EventHandlers(new Redactor()), new UndoStack());
    }

    @Test
    void aStaticGuestIsAddedOnceAndRemovedOnFailure() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=web1.example.org", "dir=/srv/xen", "ip=192.0.2.10");
        run(spec, false);
        run(spec, false);
        List<String> lines = Files.readAllLines(hosts);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("192.0.2.10\tweb1.example.org web1\t# added by jxen"), lines.get(1));
        ImageSpec other = TestSpecs.spec(tmp, "hostname=web2", "dir=/srv/xen", "ip=192.0.2.11");
        assertThrows(StageFailedException.class, () -> run(other, true));
        assertEquals(lines, Files.readAllLines(hosts), "a failed create left its hosts line");
    }

    @Test
    void dhcpAndNohostsLeaveTheFileAlone() throws Exception {
        run(TestSpecs.spec(tmp, "hostname=a", "dir=/srv/xen", "dhcp"), false);
        run(TestSpecs.spec(tmp, "hostname=b", "dir=/srv/xen", "ip=192.0.2.12", "nohosts"), false);
        assertEquals(List.of("127.0.0.1 localhost"), Files.readAllLines(hosts));
    }
}
