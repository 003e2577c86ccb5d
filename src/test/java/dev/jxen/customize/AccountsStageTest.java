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
import dev.jxen.storage.MountedRoot;
import dev.jxen.system.RecordingCommandRunner;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The accounts stage hashes the root password into the guest's /etc/shadow itself, installs root's keys, and keeps the password out of the log. */
class AccountsStageTest {
    private static final String OTHER = "daemon:*:19000:0:99999:7:::";

    @TempDir
    Path tmp;
    Path root;
    Redactor redactor;
    List<JxenEvent> events;
    RecordingCommandRunner runner;

    @BeforeEach
    void guest() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("root"));
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n" + OTHER + "\n");
        Files.setPosixFilePermissions(root.resolve("etc/shadow"), PosixFilePermissions.fromString("rw-r-----"));
        redactor = new Redactor();
        events = new ArrayList<>();
        runner = new RecordingCommandRunner();
    }

    private Accounts run(ImageSpec spec, boolean fail) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        StageResult<MountedRoot> mounted = b.add(TestStages.giving("mount", new MountedRoot(root, List.of())));
        StageResult<Accounts> accounts = b.add(new AccountsStage(spec, mounted));
        if (fail) {
            b.add(TestStages.failing());
        }
        EventHandlers handlers = new EventHandlers(redactor).add(events::add);
        return b.build().run(runner, handlers, new UndoStack()).get(accounts);
    }

    private String[] rootEntry() throws Exception {
        List<String> lines = Files.readAllLines(root.resolve("etc/shadow"));
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(OTHER, lines.get(1), "another user's entry was changed");
        return lines.get(0).split(":", -1);
    }

    private String logText() {
        StringBuilder b = new StringBuilder();
        events.forEach(e -> b.append(e).append('\n'));
        return b.toString();
    }

    @Test
    void aGivenPasswordIsHashedIntoShadowWithSha512AndKeptOutOfTheLog() throws Exception {
        long before = LocalDate.now(ZoneOffset.UTC).toEpochDay();
        Accounts a = run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "password=Secret-Pass-42"), false);
        long after = LocalDate.now(ZoneOffset.UTC).toEpochDay();

        String[] f = rootEntry();
        assertTrue(f[1].startsWith("$6$"), f[1]);
        assertEquals(f[1], Sha2Crypt.sha512Crypt("Secret-Pass-42".getBytes(StandardCharsets.UTF_8), f[1]), "the hash is not of the password");
        long day = Long.parseLong(f[2]);
        assertTrue(day >= before && day <= after, "last change " + day);
        assertEquals("0:99999:7:::", String.join(":", List.of(f).subList(3, f.length)), "the other fields were changed");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/shadow"))));

        assertNull(a.generatedPassword(), "a given password is not shown again");
        assertEquals("from --password", a.how());
        assertEquals(f[1], a.crypt());
        assertEquals(Redactor.MASK, redactor.redact("Secret-Pass-42"), "the password is not among the run's redactions");
        assertFalse(logText().contains("Secret-Pass-42"), logText());
        assertTrue(runner.commands().isEmpty(), "the password went through a command: " + runner.lines());
        assertFalse(Files.exists(root.resolve("root/.ssh")), "no --authorized-keys, yet root has an .ssh");
    }

    @Test
    void sha256WhenAskedFor() throws Exception {
        Accounts a = run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "password=Secret-Pass-42", "hash_method=sha256"), false);
        String[] f = rootEntry();
        assertTrue(f[1].startsWith("$5$"), f[1]);
        assertEquals(f[1], Sha2Crypt.sha256Crypt("Secret-Pass-42".getBytes(StandardCharsets.UTF_8), f[1]));
        assertEquals(f[1], a.crypt());
    }

    @Test
    void aGeneratedPasswordIsReturnedOnceForTheSummaryAndIsTheOneHashed() throws Exception {
        Accounts a = run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "genpass_len=24"), false);
        String pw = a.generatedPassword();
        assertEquals(24, pw.length(), pw);
        assertTrue(pw.matches("[a-km-zA-HJ-NP-Z2-9]+"), "not from the unambiguous alphabet: " + pw);
        String[] f = rootEntry();
        assertEquals(f[1], Sha2Crypt.sha512Crypt(pw.getBytes(StandardCharsets.UTF_8), f[1]));
        assertEquals("generated", a.how());
        assertFalse(logText().contains(pw), logText());
        assertEquals(Redactor.MASK, redactor.redact(pw));
    }

    @Test
    void withoutAPasswordRootStaysLocked() throws Exception {
        String shadow = Files.readString(root.resolve("etc/shadow"));
        Accounts a = run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "genpass=0"), false);
        assertEquals(shadow, Files.readString(root.resolve("etc/shadow")));
        assertNull(a.crypt());
        assertNull(a.generatedPassword());
        assertEquals("locked", a.how());
    }

    @Test
    void aShadowWithoutRootFailsTheStage() throws Exception {
        Files.writeString(root.resolve("etc/shadow"), OTHER + "\n");
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "password=Secret-Pass-42");
        StageFailedException e = assertThrows(StageFailedException.class, () -> run(spec, false));
        assertTrue(e.getMessage().contains("no root entry"), e.getMessage());
        assertEquals(OTHER + "\n", Files.readString(root.resolve("etc/shadow")));
    }

    @Test
    void anEmptyRootWithoutABaseSystemGetsNoPasswordAndNoFailure() throws Exception {
        Files.delete(root.resolve("etc/shadow"));
        Accounts a = run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "install=0"), false);
        assertNull(a.crypt());
        assertNull(a.generatedPassword(), "a generated password that was set nowhere would be shown");
        assertTrue(a.how().contains("--install=0"), a.how());
        assertFalse(Files.exists(root.resolve("etc/shadow")));
    }

    @Test
    void aPasswordGivenForAGuestWithoutShadowIsWarnedAboutByName() throws Exception {
        Files.delete(root.resolve("etc/shadow"));
        Accounts a = run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "install=0", "password=Secret-Pass-42"), false);
        assertNull(a.crypt());
        assertTrue(events.stream().anyMatch(e -> e.toString().contains("--password: not used: no base system")), events.toString());
    }

    @Test
    void aWorldReadableShadowIsNotLeftSoWithTheNewHash() throws Exception {
        Files.setPosixFilePermissions(root.resolve("etc/shadow"), PosixFilePermissions.fromString("rw-r--r--"));
        run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "password=Secret-Pass-42"), false);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/shadow"))));
    }

    @Test
    void withoutABaseSystemAShadowOnTheDiskStillGetsThePassword() throws Exception {
        run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "install=0", "password=Secret-Pass-42"), false);
        assertTrue(rootEntry()[1].startsWith("$6$"));
    }

    /** An ed25519 public key line as ssh-keygen writes it: its wire-format blob, whole. */
    private static String ed25519(int seed, String comment) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        out.writeInt(type.length);
        out.write(type);
        out.writeInt(32);
        for (int i = 0; i < 32; i++) {
            out.write(seed + i);
        }
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(bytes.toByteArray()) + " " + comment;
    }

    @Test
    void authorizedKeysGoToRootsSshDirectoryPrivately() throws Exception {
        String k1 = ed25519(1, "alice@admin");
        String k2 = ed25519(7, "bob@admin");
        Path keys = Files.writeString(tmp.resolve("keys"), "# admins\n" + k1 + "\n\n" + k2 + "\n");
        run(TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "password=Secret-Pass-42", "authorized-keys=" + keys), false);
        Path ssh = root.resolve("root/.ssh");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ssh)));
        assertEquals(0, Files.getAttribute(ssh, "unix:uid"));
        Path ak = ssh.resolve("authorized_keys");
        assertEquals(k1 + "\n" + k2 + "\n", Files.readString(ak));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ak)));
    }

    @Test
    void aPasswordFileIsWrittenPrivatelyAndRemovedWhenALaterStageFails() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("secrets"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path file = dir.resolve("web1.pw");
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "password-file=" + file);

        Accounts a = run(spec, false);
        assertNull(a.generatedPassword(), "a password written to --password-file is not shown as well");
        assertTrue(a.how().contains(file.toString()), a.how());
        String pw = Files.readString(file);
        assertTrue(pw.endsWith("\n"));
        pw = pw.strip();
        assertEquals(20, pw.length(), "the default genpass_len");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String[] f = rootEntry();
        assertEquals(f[1], Sha2Crypt.sha512Crypt(pw.getBytes(StandardCharsets.UTF_8), f[1]), "the file's password is not root's");
        assertFalse(logText().contains(pw), logText());

        Files.delete(file);
        ImageSpec again = TestSpecs.spec(tmp, "hostname=web1", "dir=" + tmp.resolve("store"), "password-file=" + file);
        assertThrows(StageFailedException.class, () -> run(again, true));
        assertFalse(Files.exists(file), "the password file of a failed create was left");
    }
}
