package dev.jxen.lifecycle;

import dev.jxen.config.ImageSpec;
import dev.jxen.config.TestSpecs;
import dev.jxen.pipeline.Pipeline;
import dev.jxen.pipeline.PlannedAction;
import dev.jxen.pipeline.StagesByHand;
import dev.jxen.system.Command;
import dev.jxen.system.Dom0Paths;
import dev.jxen.system.RecordingCommandRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For every storage route of a create, with and without --force replacing a guest, the devices and
 * paths the plan names for the storage, filesystem and mount stages are those their runs touch: the
 * create's own assembly, its stages run one by one through a recording runner, against its plan.
 */
class CreatePlanMatchesRunTest {
    private static final String HOST = "pm1.example.org";
    private static final List<String> WATCHED = List.of("storage", "filesystems", "mount");

    @TempDir
    Path tmp;

    private Path store() {
        return tmp.resolve("store");
    }

    private ImageSpec spec(String route, boolean force) throws Exception {
        // devices that exist on every machine stand for --image-dev ones: nothing runs, the runner records
        List<String> s = new ArrayList<>(List.of("hostname=" + HOST, "install=0", "size=2G", "swap=256M"));
        switch (route) {
            case "dir" -> s.add("dir=" + store());
            case "dir-full" -> s.addAll(List.of("dir=" + store(), "image=full"));
            case "dir-partitions" -> s.addAll(List.of("dir=" + store(), "partitions=sample-server"));
            case "lvm" -> s.add("lvm=vg0");
            case "lvm-thin" -> s.addAll(List.of("lvm=vg0", "lvm_thin=pool0"));
            case "lvm-partitions" -> s.addAll(List.of("lvm=vg0", "partitions=sample-server"));
            case "zpool" -> s.add("zpool=tank");
            case "image-dev" -> s.addAll(List.of("image-dev=/dev/zero", "swap-dev=/dev/null"));
            default -> throw new IllegalArgumentException(route);
        }
        if (force) {
            s.add("force");
        }
        return TestSpecs.spec(tmp, s.toArray(new String[0]));
    }

    /** A live guest of the same name: its .cfg, and for image files its images, which a --force create must not touch. */
    private List<String> liveGuest(ImageSpec spec) throws Exception {
        Path cfg = spec.domain().configFile(spec.hostname());
        Files.createDirectories(cfg.getParent());
        List<String> live = new ArrayList<>();
        StringBuilder disks = new StringBuilder();
        for (var d : dev.jxen.storage.GuestDisks.layout(spec).disks()) {
            live.add(d.path());
            disks.append(disks.length() == 0 ? "" : ", ").append("'").append(d.file() ? "file:" : "phy:").append(d.path())
                    .append(",").append(d.xenDevice()).append(",w'");
            if (d.file()) {
                Files.createDirectories(Path.of(d.path()).getParent());
                Files.writeString(Path.of(d.path()), "the live guest's " + d.partition().name());
            }
        }
        Files.writeString(cfg, "name = '" + HOST + "'\ndisk = [ " + disks + " ]\n");
        return live;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dir", "dir-full", "dir-partitions", "lvm", "lvm-thin", "lvm-partitions", "zpool", "image-dev",
        "dir+force", "dir-full+force", "dir-partitions+force", "lvm+force", "lvm-partitions+force", "zpool+force"})
    void whatThePlanNamesIsWhatTheRunTouches(String route) throws Exception {
        boolean force = route.endsWith("+force");
        ImageSpec spec = spec(route.replace("+force", ""), force);
        List<String> live = force ? liveGuest(spec) : List.of();
        Dom0Paths dom0 = Dom0Paths.from(Map.of("JXEN_WORK_DIR", tmp.resolve("work").toString(), "JXEN_LOCK_DIR", tmp.resolve("locks").toString(),
                "JXEN_STATE_DIR", tmp.resolve("state").toString(), "JXEN_HYPERVISOR_TYPE", tmp.resolve("no-hypervisor").toString(),
                "JXEN_DOM0_HOSTS", tmp.resolve("hosts").toString()));
        RecordingCommandRunner runner = new RecordingCommandRunner();
        CreateGuest create = CreateGuest.assemble(spec, TestSpecs.sources(tmp), dom0, runner);
        Pipeline pipeline = create.pipeline();
        List<Pipeline.StagePlan> plan = pipeline.plan().stream().filter(p -> WATCHED.contains(p.stage())).toList();
        StagesByHand.Ran ran = StagesByHand.runThrough(pipeline, create.base(), "mount", runner);
        try {
            List<String> plannedRuns = actions(plan, "run").stream().map(PlannedAction::target).toList();
            List<String> ranCommands = WATCHED.stream().flatMap(s -> ran.commands().getOrDefault(s, List.of()).stream())
                    .filter(c -> !c.argv().get(0).equals("mount")).map(Command::display).toList();
            assertEquals(plannedRuns, ranCommands, route + ": the commands the plan names are those the run ran");
            assertFalse(plannedRuns.isEmpty(), route);

            List<String> plannedMounts = actions(plan, "mount").stream().map(PlannedAction::target).toList();
            List<String> mounted = ran.commands().get("mount").stream().filter(c -> c.argv().get(0).equals("mount"))
                    .map(c -> c.argv().get(c.argv().size() - 2)).toList();
            assertEquals(plannedMounts, mounted, route + ": the disks the plan mounts are those the run mounts");

            List<String> plannedFiles = actions(plan, "create").stream().map(PlannedAction::target)
                    .filter(t -> !t.endsWith("/") && !t.contains("XXXXXX")).toList();
            for (String f : plannedFiles) {
                assertTrue(Files.isRegularFile(Path.of(f)), route + ": the plan creates " + f + " and the run did not");
            }
            if (spec.storage().target() == ImageSpec.Target.DIR) {
                List<String> made;
                try (Stream<Path> s = Files.walk(store())) {
                    made = s.filter(Files::isRegularFile).map(Path::toString).filter(p -> !live.contains(p)).sorted().toList();
                }
                assertEquals(plannedFiles.stream().sorted().toList(), made, route + ": the run made only the files the plan names");
            }
            for (String l : live) {
                String everything = String.join("\n", ranCommands) + "\n" + String.join("\n", mounted) + "\n" + plan;
                assertFalse(everything.contains(l + " ") || everything.contains(l + "\n") || everything.endsWith(l)
                        || everything.contains(l + ","), route + ": the live guest's " + l + " is named: " + everything);
                if (l.startsWith(store().toString())) {
                    assertTrue(Files.readString(Path.of(l)).startsWith("the live guest's"), route + ": " + l + " was touched");
                }
            }
        } finally {
            ran.undo().unwind(true, false, runner, line -> { });
        }
    }

    private static List<PlannedAction> actions(List<Pipeline.StagePlan> plan, String kind) {
        return plan.stream().flatMap(p -> p.actions().stream()).filter(a -> a.kind().equals(kind)).toList();
    }
}
