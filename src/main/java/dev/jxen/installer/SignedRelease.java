package dev.jxen.installer;

import dev.jxen.system.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.Instant;

import dev.jxen.mirror.ReleaseCheck;
import dev.jxen.mirror.ReleaseHistory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A suite's Release text as its InRelease signature covers it: gpgv checks the signature against the
 * archive keyring, as apt does, and writes out the signed text, which is the only text read from it.
 *
 * @param url  where the InRelease came from
 * @param text the signed text
 */
public record SignedRelease(String url, String text) {
    private static final Pattern LINE = Pattern.compile("^ ([0-9a-f]{64})\\s+(\\d+)\\s+(\\S+)$");

    /** A file's hash and size, as a trusted index lists it. */
    public record Expected(String path, String sha256, long size) {
    }

    public static SignedRelease verify(String url, Path inRelease, Path keyring, Path work, CommandRunner runner) throws IOException {
        if (!Files.isRegularFile(keyring)) {
            throw new ChainBroken("the archive keyring " + keyring + " is missing (apt-get install debian-archive-keyring), so "
                    + url + " cannot be checked");
        }
        List<String> why = new ArrayList<>();
        String text = ReleaseCheck.signedText(inRelease, keyring, work, runner, why)
                .orElseThrow(() -> new ChainBroken("the signature of " + url + " does not verify against " + keyring + ": " + String.join(" ", why)));
        return new SignedRelease(url, text);
    }

    /**
     * Refuses a Release that is not the one asked for: another release's (its Codename and Suite both
     * differ from {@code asked}), expired, dated in the future, or older than one seen before at the
     * same place; remembers its date otherwise.
     */
    public void requireRelease(String asked, String suiteUrl, ReleaseHistory history, Instant now) throws IOException {
        List<String> problems = ReleaseCheck.problems(url, text, asked, suiteUrl, history, now);
        if (!problems.isEmpty()) {
            throw new ChainBroken(String.join("; ", problems));
        }
    }

    /** The SHA256 line of {@code path} (relative to the suite's directory). */
    public Optional<Expected> sha256(String path) {
        boolean inSection = false;
        for (String line : text.split("\n")) {
            if (!line.startsWith(" ")) {
                inSection = line.equals("SHA256:");
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (inSection && m.matches() && m.group(3).equals(path)) {
                return Optional.of(new Expected(path, m.group(1), Long.parseLong(m.group(2))));
            }
        }
        return Optional.empty();
    }
}
