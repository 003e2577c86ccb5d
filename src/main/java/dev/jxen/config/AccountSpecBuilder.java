package dev.jxen.config;

import dev.jxen.config.ImageSpec.AccountSpec;
import dev.jxen.config.ImageSpec.Secret;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The accounts part of the spec: the root password (given, read, asked or generated), keys, dom0 users. */
final class AccountSpecBuilder {
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    private final SettingReader r;

    AccountSpecBuilder(SettingReader r) {
        this.r = r;
    }

    AccountSpec build() {
        Secret password = null;
        Optional<String> pw = r.text("password");
        Optional<String> from = r.text("password-from");
        if (from.isPresent()) {
            if (pw.isPresent()) {
                r.problem(r.where("password-from") + " and --password: give the password one way");
            }
            pw = readPassword(from.get());
        }
        if (pw.isPresent()) {
            String p = pw.get();
            if (p.isEmpty() || p.length() > 256 || p.chars().anyMatch(c -> c < 32 || c == 127)) {
                r.problem((from.isPresent() ? r.where("password-from") + ": the password" : r.where("password"))
                        + " must be 1 to 256 printable characters");
            }
            password = new Secret(p);
        }
        boolean genpass = r.flag("genpass");
        int len = r.integer("genpass_len", 8, 128);
        String hash = r.value("hash_method").toLowerCase(Locale.ROOT);
        if (hash.equals("md5")) {
            r.problem(r.where("hash_method") + ": md5-crypt is trivially cracked and jxen does not write it; use sha512 (the default) or sha256");
        } else if (!hash.equals("sha256") && !hash.equals("sha512")) {
            r.problem(r.where("hash_method") + ": must be sha512 (the default) or sha256");
        }
        String admins = r.text("admins").orElse(null);
        if (admins != null) {
            boolean names = true;
            for (String a : admins.split(",")) {
                if (!USER.matcher(a.strip()).matches()) {
                    r.problem(r.where("admins") + ": '" + a + "' is not a user name");
                    names = false;
                }
            }
            if (names) {
                r.problem(r.where("admins") + ": xen-tools made these dom0 users with xen-shell, which Debian no longer ships; "
                        + "jxen does not; give them sudo in the guest with a role instead");
            }
        }
        Path passwordFile = r.text("password-file").isPresent() ? r.path("password-file") : null;
        if (passwordFile != null && Files.exists(passwordFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            r.problem(r.where("password-file") + ": already exists; jxen does not overwrite it");
        } else if (passwordFile != null && passwordFile.getParent() != null && Files.isDirectory(passwordFile.getParent())) {
            try {
                dev.jxen.system.FilePlace place = dev.jxen.system.FilePlace.of(passwordFile, r.where("password-file"));
                if (!place.rootOnly()) {
                    r.problem(r.where("password-file") + ": its directory " + place.dir() + " belongs to uid " + place.owner()
                            + "; jxen writes the root password only where root alone can change the file");
                }
            } catch (dev.jxen.error.InvalidInputException e) {
                r.problem(e.getMessage());
            }
        }
        List<String> keys = new ArrayList<>();
        Optional<String> keyFile = r.text("authorized-keys");
        if (keyFile.isPresent()) {
            try {
                for (String line : dev.jxen.system.BoundedFiles.readLines(Path.of(keyFile.get()), dev.jxen.system.BoundedFiles.CONFIG)) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    if (!l.matches("(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+) [A-Za-z0-9+/=]+( [^\\n]*)?")) {
                        r.problem(r.where("authorized-keys") + ": '" + (l.length() > 30 ? l.substring(0, 30) + "..." : l) + "' is not an SSH public key");
                    } else if (!wholeKey(l.split(" ")[0], l.split(" ")[1])) {
                        r.problem(r.where("authorized-keys") + ": '" + (l.length() > 30 ? l.substring(0, 30) + "..." : l)
                                + "' is cut short or damaged: its key data is not a whole " + l.split(" ")[0] + " key");
                    }
                    keys.add(l);
                }
                if (keys.isEmpty()) {
                    r.problem(r.where("authorized-keys") + ": holds no public key");
                }
            } catch (java.io.IOException e) {
                r.problem(r.where("authorized-keys") + ": cannot be read: " + e.getMessage());
            }
        }
        return new AccountSpec(password, genpass, len, hash, r.flag("passwd"), r.flag("accounts"), admins, passwordFile,
                List.copyOf(keys));
    }

    /**
     * Whether {@code base64} is a whole public key of {@code type} in SSH's wire format: its fields
     * (each a 32-bit length and that many bytes) are the type's own name first and then exactly as many
     * as such a key has, with nothing missing and nothing after them.
     */
    static boolean wholeKey(String type, String base64) {
        byte[] blob;
        try {
            blob = java.util.Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int fields = type.equals("ssh-ed25519") ? 2 : type.startsWith("sk-") ? (type.contains("ed25519") ? 3 : 4) : 3;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(blob);
        for (int i = 0; i < fields; i++) {
            if (b.remaining() < 4) {
                return false;
            }
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) {
                return false;
            }
            byte[] field = new byte[len];
            b.get(field);
            if (i == 0 && !new String(field, java.nio.charset.StandardCharsets.US_ASCII).equals(type)) {
                return false;
            }
            if (i == 1 && type.equals("ssh-ed25519") && len != 32) {
                return false;
            }
        }
        return !b.hasRemaining();
    }

    /** The first line of the file, or of standard input for '-'; a file others can read is refused. */
    private Optional<String> readPassword(String from) {
        try {
            if (from.equals("-")) {
                byte[] in = System.in.readNBytes(4096);
                return Optional.of(new String(in, java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse(""));
            }
            Path f = Path.of(from);
            if (!Files.isRegularFile(f)) {
                r.problem(r.where("password-from") + ": no such file");
                return Optional.empty();
            }
            Optional<String> others = dev.jxen.system.FileTrust.readableByOthers(f);
            if (others.isPresent()) {
                r.problem(r.where("password-from") + ": " + others.get() + "; only root, or you, may be able to read a password file (chmod 600 " + f + ")");
                return Optional.empty();
            }
            if (Files.size(f) > 4096) {
                r.problem(r.where("password-from") + ": larger than 4 KiB, which is not a password file");
                return Optional.empty();
            }
            return Optional.of(Files.readString(f).lines().findFirst().orElse(""));
        } catch (java.io.IOException e) {
            r.problem(r.where("password-from") + ": cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }
}
