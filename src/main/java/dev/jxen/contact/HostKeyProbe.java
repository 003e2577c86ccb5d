package dev.jxen.contact;

import dev.jxen.customize.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Connects to an SSH server only as far as its key exchange, in which it proves that it holds the
 * private half of the host key it presents, and compares that key with the keys jxen made for the
 * guest. It never trusts a key on first use, and it holds no password or key to log in with.
 */
public final class HostKeyProbe {
    /** What the server at an address answered. */
    public sealed interface Answer permits Matched, Mismatch, Unreachable {
    }

    /** It proved one of the expected keys. */
    public record Matched(HostKey key) implements Answer {
    }

    /** It presented another key: another machine at the address, or someone in between. */
    public record Mismatch(String type, String fingerprint) implements Answer {
    }

    /** No key exchange happened (nothing listening yet, no route, a timeout). */
    public record Unreachable(String why) implements Answer {
    }

    private HostKeyProbe() {
    }

    public static Answer probe(String address, int port, List<HostKey> expected, Duration timeout) {
        Checker checker = new Checker(expected);
        JSch jsch = new JSch();
        jsch.setHostKeyRepository(checker);
        Session session = null;
        try {
            session = jsch.getSession("jxen-host-key-check", address, port);
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setUserInfo(new NoAnswers());
            session.setTimeout((int) timeout.toMillis());
            session.connect((int) timeout.toMillis());
        } catch (JSchException e) {
            if (checker.seen.isEmpty()) {
                return new Unreachable(Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
            }
        } finally {
            if (session != null) {
                session.disconnect();
            }
        }
        if (checker.matched.isPresent()) {
            return new Matched(checker.matched.get());
        }
        if (checker.seen.isPresent()) {
            return new Mismatch(checker.seenType, HostKey.fingerprint(checker.seen.get()));
        }
        return new Unreachable("the server presented no host key");
    }

    /** The repository JSch asks during the key exchange: only the expected keys are known. */
    private static final class Checker implements HostKeyRepository {
        private final List<HostKey> expected;
        private Optional<byte[]> seen = Optional.empty();
        private String seenType = "";
        private Optional<HostKey> matched = Optional.empty();

        Checker(List<HostKey> expected) {
            this.expected = expected;
        }

        @Override
        public int check(String host, byte[] key) {
            seen = Optional.of(key.clone());
            seenType = typeOf(key);
            matched = expected.stream().filter(k -> k.sameAs(key)).findFirst();
            return matched.isPresent() ? OK : CHANGED;
        }

        /** The key type a blob names in its first field (a length-prefixed string). */
        private static String typeOf(byte[] blob) {
            if (blob.length < 4) {
                return "";
            }
            int n = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
            return n > 0 && n <= blob.length - 4 ? new String(blob, 4, n, java.nio.charset.StandardCharsets.US_ASCII) : "";
        }

        @Override
        public void add(com.jcraft.jsch.HostKey hostkey, UserInfo ui) {
            // nothing is learnt on first use
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return "the host keys jxen made for the guest";
        }

        @Override
        public com.jcraft.jsch.HostKey[] getHostKey() {
            return new com.jcraft.jsch.HostKey[0];
        }

        @Override
        public com.jcraft.jsch.HostKey[] getHostKey(String host, String type) {
            return new com.jcraft.jsch.HostKey[0];
        }
    }

    /** Answers no question: no password, no passphrase, no "continue connecting?". */
    private static final class NoAnswers implements UserInfo {
        @Override
        public String getPassphrase() {
            return null;
        }

        @Override
        public String getPassword() {
            return null;
        }

        @Override
        public boolean promptPassword(String message) {
            return false;
        }

        @Override
        public boolean promptPassphrase(String message) {
            return false;
        }

        @Override
        public boolean promptYesNo(String message) {
            return false;
        }

        @Override
        public void showMessage(String message) {
        }
    }
}
