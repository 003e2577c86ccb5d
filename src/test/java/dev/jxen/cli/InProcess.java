package dev.jxen.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Runs a jxen command in this JVM with a scratch configuration directory, capturing its output. */
public final class InProcess {
    public record Result(int exit, String out, String err) {
    }

    private InProcess() {
    }

    public static Path home() {
        return Path.of(System.getProperty("jxen.home", ".")).toAbsolutePath();
    }

    /** A copy of the shipped etc-xen-tools in a temporary directory. */
    public static Path scratchConfigDir(Path tmp) throws IOException {
        Path dir = tmp.resolve("etc-xen-tools");
        Path src = home().resolve("etc-xen-tools");
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path t = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return dir;
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** create-image with a config dir, plus the given arguments. */
    public static Result create(Path configDir, String... args) {
        List<String> all = new ArrayList<>(List.of("create-image", "--config-dir", configDir.toString()));
        all.addAll(List.of(args));
        return run(all.toArray(new String[0]));
    }
}
