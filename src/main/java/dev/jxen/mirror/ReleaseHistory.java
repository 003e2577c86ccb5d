package dev.jxen.mirror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The newest Date jxen has seen in a signed Release of each mirror's suite, one small file each under
 * {@code /var/lib/jxen/releases}: a Release older than that is an old one served again (a mirror
 * frozen in time, or an attacker replaying a release whose security fixes came later), and refused.
 */
public final class ReleaseHistory {
    private final Path dir;

    public ReleaseHistory(Path dir) {
        this.dir = dir;
    }

    private Path fileFor(String suiteUrl) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(suiteUrl.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(d).substring(0, 32));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The newest Date seen for the suite at this URL, if any. */
    public Optional<Instant> newest(String suiteUrl) {
        Path f = fileFor(suiteUrl);
        try {
            if (!Files.isRegularFile(f) || Files.size(f) > 4096) {
                return Optional.empty();
            }
            String first = Files.readAllLines(f).stream().findFirst().orElse("");
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(first.strip())));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Why a Release dated {@code date} is refused: it is older than one seen before; empty when it is not. */
    public Optional<String> problem(String suiteUrl, Instant date) {
        return newest(suiteUrl).filter(seen -> date.isBefore(seen)).map(seen -> suiteUrl + " offers a Release dated " + date
                + ", older than the one jxen saw there dated " + seen + ": an old release served again is refused (if the mirror was "
                + "really rolled back, remove " + fileFor(suiteUrl) + ")");
    }

    /** Remembers {@code date} when it is the newest seen. */
    public void record(String suiteUrl, Instant date) throws IOException {
        if (newest(suiteUrl).filter(seen -> !seen.isBefore(date)).isPresent()) {
            return;
        }
        Files.createDirectories(dir);
        Path f = fileFor(suiteUrl);
        Path tmp = Files.createTempFile(dir, ".release-", ".tmp");
        Files.writeString(tmp, date.getEpochSecond() + "\n" + suiteUrl.replaceAll("\\p{Cntrl}", "?") + "\n");
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
