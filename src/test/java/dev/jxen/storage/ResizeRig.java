package dev.jxen.storage;

import dev.jxen.config.Size;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.Stage;
import dev.jxen.pipeline.StageContext;
import dev.jxen.pipeline.UndoStack;
import dev.jxen.pipeline.event.EventHandlers;
import dev.jxen.pipeline.event.JxenEvent;
import dev.jxen.pipeline.event.Redactor;
import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.LocalCommandRunner;
import dev.jxen.system.RecordingCommandRunner;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the tests of the resize stages share: small real images, a dom0 without Xen (no guest runs), a runner
 * that runs the real tools except those a test answers itself, and a pipeline of the stages under test whose
 * undo stack's kinds are seen at every change.
 */
final class ResizeRig {
    final Path tmp;
    final Dom0Paths paths;
    final List<JxenEvent> events = new ArrayList<>();
    /** The kinds on the undo stack after each change, oldest first. */
    final List<List<String>> stacks = new ArrayList<>();
    final UndoStack undo = new UndoStack(entries -> stacks.add(entries.stream().map(e -> e.action().kind()).toList()));

    ResizeRig(Path tmp) {
        this.tmp = tmp;
        this.paths = Dom0Paths.from(Map.of("JXEN_HYPERVISOR_TYPE", tmp.resolve("no-hypervisor").toString(), "JXEN_WORK_DIR",
                tmp.resolve("work").toString()));
    }

    /** The rig, for a test that needs {@code tool} (skipped, saying so, where it is missing). */
    static ResizeRig needing(Path tmp, String tool) {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.jxen.system.ToolCheck.find(tool).isPresent(), "needs " + tool);
        return new ResizeRig(tmp);
    }

    static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
        return out;
    }

    /** A sparse image of {@code bytes} with a filesystem made by {@code mkfs} (the image's path is added last). */
    Path image(String name, long bytes, String... mkfs) throws Exception {
        Path img = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(bytes);
        }
        if (mkfs.length > 0) {
            String[] argv = java.util.Arrays.copyOf(mkfs, mkfs.length + 1);
            argv[mkfs.length] = img.toString();
            run(argv);
        }
        return img;
    }

    /** disk.img: a 32M ext4 made as mkfs.ext4 makes it by default. */
    Path ext4() throws Exception {
        return image("disk.img", 32L << 20, "mkfs.ext4", "-q", "-F");
    }

    /** The real tools, but {@code answer} first: a non-null answer is taken instead of running the command. */
    static RecordingCommandRunner real(Function<Command, CommandResult> answer) {
        LocalCommandRunner local = new LocalCommandRunner();
        return new RecordingCommandRunner(c -> {
            CommandResult r = answer.apply(c);
            return r != null ? r : local.run(c, l -> { });
        });
    }

    /** The growth of image {@code img} (the root disk, xvda2) by {@code add}, measured as the command measures it. */
    DiskGrowth growth(Path img, String add, CommandRunner runner) {
        GrowableDisk disk = new GrowableDisk(new GuestStorage.ImageFile(img), "xvda2", "/", "the disk the test names");
        return DiskGrowth.of(disk, DiskNow.measure(disk, runner), Size.parse(add, true), null);
    }

    /** Runs {@code stages} as the pipeline runs them, checks first. */
    StageContext run(CommandRunner runner, List<Stage<?>> stages) {
        Pipeline.Builder b = Pipeline.builder(false, null);
        stages.forEach(b::add);
        return run(runner, b.build());
    }

    StageContext run(CommandRunner runner, Pipeline pipeline) {
        EventHandlers h = new EventHandlers(new Redactor());
        h.add(events::add);
        return pipeline.run(runner, h, undo);
    }

    /** The text of every log line of the run. */
    List<String> logged() {
        return events.stream().filter(e -> e instanceof JxenEvent.StepLog).map(e -> ((JxenEvent.StepLog) e).text()).toList();
    }
}
