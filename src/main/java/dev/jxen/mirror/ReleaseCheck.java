package dev.jxen.mirror;

import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a suite's InRelease is the signed, current Release of the release asked for: gpgv checks the
 * signature against the archive keyring (the signed text is all that is read afterwards), then its
 * fields ({@link ReleaseFields}) and the newest date seen there before ({@link ReleaseHistory}).
 */
public final class ReleaseCheck {
    private ReleaseCheck() {
    }

    /** The text the signature of {@code inRelease} covers; empty with the reason in {@code why} when it does not verify. */
    public static Optional<String> signedText(Path inRelease, Path keyring, Path work, CommandRunner runner, List<String> why) throws IOException {
        Path signed = work.resolve(inRelease.getFileName() + ".signed");
        Files.deleteIfExists(signed);
        CommandResult r = runner.run(Command.of("gpgv", "--keyring", keyring.toString(), "--output", signed.toString(), inRelease.toString())
                .capturing().withLabel("gpgv").withTimeout(java.time.Duration.ofSeconds(60)), line -> { });
        if (!r.ok() || !Files.isRegularFile(signed)) {
            why.add(String.join(" / ", r.tail()));
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(signed));
        } finally {
            Files.deleteIfExists(signed);
        }
    }

    /**
     * Why the signed Release {@code text} (from {@code url}) is not the current one of {@code asked}; when
     * it is, its date is remembered for {@code suiteUrl} and the list is empty.
     */
    public static List<String> problems(String url, String text, String asked, String suiteUrl, ReleaseHistory history, Instant now) throws IOException {
        ReleaseFields f = ReleaseFields.parse(text);
        List<String> problems = new ArrayList<>(f.problems(url, asked, now));
        if (f.date().isEmpty()) {
            problems.add(url + " has no Date, so jxen cannot tell an old Release from the current one");
        } else {
            history.problem(suiteUrl, f.date().get()).ifPresent(problems::add);
        }
        if (problems.isEmpty()) {
            history.record(suiteUrl, f.date().get());
        }
        return problems;
    }
}
