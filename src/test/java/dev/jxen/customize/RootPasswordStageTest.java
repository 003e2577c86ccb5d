package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.StageResult;
import dev.jxen.pipeline.TestStages;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.RecordingCommandRunner;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With the Debian Installer, the root password is chosen as the accounts stage chooses it and handed on only as its hash. */
class RootPasswordStageTest {
    @TempDir
    Path tmp;
    final Redactor redactor = new Redactor();
    final List<JxenEvent> events = new ArrayList<>();
    final RecordingCommandRunner runner = new RecordingCommandRunner();

    private Accounts run(ImageSpec spec, boolean fail) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<Accounts> accounts = b.add(new RootPasswordStage(spec));
        if (fail) {
            b.add(TestStages.failing());
        }
        return b.build().run(runner, new EventHandlers(redactor).add(events::add), new UndoStack()).get(accounts);
    }

    private ImageSpec spec(String... more) throws Exception {
        List<String> all = new ArrayList<>(List.of("hostname=inst1", "lvm=vg0", "install-method=installer"));
        all.addAll(List.of(more));
        return TestSpecs.spec(tmp, all.toArray(new String[0]));
    }

    private boolean logged(String text) {
        return events.stream().anyMatch(e -> e.toString().contains(text));
    }

    @Test
    void aGivenPasswordBecomesItsHashOnly() throws Exception {
        Accounts a = run(spec("password=Installer-Pass-7"), false);
        assertTrue(a.crypt().startsWith("$6$"), a.crypt());
        assertEquals(a.crypt(), Sha2Crypt.sha512Crypt("Installer-Pass-7".getBytes(StandardCharsets.UTF_8), a.crypt()));
        assertFalse(a.crypt().contains("Installer-Pass-7"));
        assertNull(a.generatedPassword());
        assertEquals("from --password", a.how());
        assertEquals(Redactor.MASK, redactor.redact("Installer-Pass-7"));
        assertFalse(logged("Installer-Pass-7"));
        assertTrue(runner.commands().isEmpty(), runner.lines().toString());
    }

    @Test
    void sha256AndAGeneratedPassword() throws Exception {
        Accounts a = run(spec("hash_method=sha256", "genpass_len=12"), false);
        String pw = a.generatedPassword();
        assertEquals(12, pw.length());
        assertTrue(a.crypt().startsWith("$5$"), a.crypt());
        assertEquals(a.crypt(), Sha2Crypt.sha256Crypt(pw.getBytes(StandardCharsets.UTF_8), a.crypt()));
        assertEquals(Redactor.MASK, redactor.redact(pw));
        assertFalse(logged(pw));
    }

    @Test
    void noPasswordLeavesRootLocked() throws Exception {
        Accounts a = run(spec("genpass=0"), false);
        assertEquals(new Accounts(null, "locked", null), a);
    }

    @Test
    void aPasswordFileIsMadePrivateAndRemovedWhenALaterStageFails() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("secrets"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path file = dir.resolve("inst1.pw");

        Accounts a = run(spec("password-file=" + file), false);
        String pw = Files.readString(file).strip();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertNull(a.generatedPassword(), "written to the file, not shown");
        assertEquals(a.crypt(), Sha2Crypt.sha512Crypt(pw.getBytes(StandardCharsets.UTF_8), a.crypt()));

        Files.delete(file);
        ImageSpec again = spec("password-file=" + file);
        assertThrows(StageFailedException.class, () -> run(again, true));
        assertFalse(Files.exists(file), "a failed create left its password file");
    }
}
