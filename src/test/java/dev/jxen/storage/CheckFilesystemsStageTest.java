package dev.jxen.storage;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.error.StageFailedException;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.LocalCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A create never ends in success over a damaged guest filesystem: the read-only check finds it, for real. */
class CheckFilesystemsStageTest {
    @TempDir
    Path tmp;

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", cmd) + ": " + out);
        }
    }

    private Path image(ImageSpec spec) throws Exception {
        Path disk = Path.of(GuestDisks.layout(spec).root().path());
        Files.createDirectories(disk.getParent());
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(32 << 20);
        }
        run("mkfs.ext4", "-q", "-F", disk.toString());
        return disk;
    }

    private static void check(ImageSpec spec) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        b.add(new CheckFilesystemsStage(spec));
        b.build().run(new LocalCommandRunner(), new EventHandlers(new Redactor()), new UndoStack());
    }

    @Test
    void aCleanFilesystemPasses() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=h1", "dir=" + tmp.resolve("store"), "dhcp", "noswap", "size=32M");
        image(spec);
        check(spec);
    }

    @Test
    void aDamagedFilesystemFailsTheCreate() throws Exception {
        ImageSpec spec = TestSpecs.spec(tmp, "hostname=h1", "dir=" + tmp.resolve("store"), "dhcp", "noswap", "size=32M");
        Path disk = image(spec);
        run("debugfs", "-w", "-R", "clri <2>", disk.toString()); // the root directory's inode, wiped
        StageFailedException e = assertThrows(StageFailedException.class, () -> check(spec));
        assertTrue(e.getMessage().contains("the guest's root filesystem on " + disk + " is damaged"), e.getMessage());
    }
}
