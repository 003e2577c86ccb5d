package dev.jxen.customize;

import dev.jxen.system.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a test reads from the sandboxed commands a recording runner kept, and from the work directory. */
final class SandboxedCommands {
    private SandboxedCommands() {
    }

    /** The command the sandbox runs: what follows its last "--". */
    static List<String> afterLastDashes(Command c) {
        return c.argv().subList(c.argv().lastIndexOf("--") + 1, c.argv().size());
    }

    /** The jail directories (.jail-*) an untrusted guest's sandbox left in {@code work}. */
    static List<String> jails(Path work) throws IOException {
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(work)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".jail-")).toList();
        }
    }
}
