package dev.jxen.customize;

import dev.jxen.config.ImageSpec;
import dev.jxen.error.HostStateException;
import dev.jxen.pipeline.StageContext;
import dev.jxen.system.SystemUndo;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The guest's root password: asked on the terminal (--passwd), given (--password), or generated
 * (--genpass, the default; into --password-file when given, else shown once in the summary).
 * The chosen password is added to the run's redactions at once.
 *
 * @param password  the password, or null when root stays locked
 * @param generated the generated password the summary shows, or null
 * @param how       where it came from, for the log
 */
public record RootPassword(String password, String generated, String how) {
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static RootPassword choose(ImageSpec spec, StageContext ctx) throws IOException {
        var a = spec.accounts();
        RootPassword chosen;
        if (a.passwdPrompt()) {
            chosen = new RootPassword(prompt(spec.hostname().fqdn()), null, "as typed");
        } else if (a.password() != null) {
            chosen = new RootPassword(a.password().value(), null, "from --password");
        } else if (a.genpass()) {
            String password = generate(a.genpassLen());
            if (a.passwordFile() != null) {
                writeSecretFile(ctx, a.passwordFile(), password);
                chosen = new RootPassword(password, null, "generated, written to " + a.passwordFile());
            } else {
                chosen = new RootPassword(password, password, "generated");
            }
        } else {
            return new RootPassword(null, null, "locked");
        }
        ctx.events().redactor().addSecret(chosen.password());
        return chosen;
    }

    /**
     * A root-only file created with mode 0600 from the start, never readable by others even briefly, in
     * a place root alone can change (so nobody can swap it for a link between its creation and its
     * write), and written through the one descriptor that created it.
     */
    private static void writeSecretFile(StageContext ctx, Path file, String secret) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        dev.jxen.system.FilePlace place = dev.jxen.system.FilePlace.of(file, "--password-file");
        if (!place.rootOnly()) {
            throw new dev.jxen.error.InvalidInputException("--password-file " + file + " would be in " + place.dir() + ", a directory of uid "
                    + place.owner() + "'s; jxen writes the root password only where root alone can change the file");
        }
        try (var ch = Files.newByteChannel(file, java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
            ctx.undo().rollbackAlways(new SystemUndo.RemoveFile(file));
            ch.write(java.nio.ByteBuffer.wrap((secret + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    static String generate(int length) {
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    private static String prompt(String guest) {
        Console c = System.console();
        if (c == null) {
            throw new HostStateException("--passwd asks for the root password on a terminal, and there is none",
                    "run it on a terminal, or use --password or --genpass");
        }
        for (int tries = 0; tries < 3; tries++) {
            char[] one = c.readPassword("Root password for %s: ", guest);
            char[] two = c.readPassword("Again: ");
            if (one != null && one.length > 0 && Arrays.equals(one, two)) {
                return new String(one);
            }
            c.printf("The two did not match (or were empty).%n");
        }
        throw new HostStateException("no root password was confirmed", null);
    }

}
