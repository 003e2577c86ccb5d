package dev.jxen.customize;

import java.nio.file.Path;
import java.util.List;

/**
 * A guest's own identity as made by the identity stage: its SSH host key fingerprints, and the
 * public keys themselves ({@code .pub} lines), which first contact checks the guest against.
 *
 * @param keyFiles with the Debian Installer route, the private directory that holds the key files
 *                 until the run ends, for the preseed to carry into the guest; null when the keys
 *                 were written into the guest's tree
 */
public record HostIdentity(String machineId, List<String> sshFingerprints, List<String> sshPublicKeys, Path keyFiles) {
    public HostIdentity(String machineId, List<String> sshFingerprints, List<String> sshPublicKeys) {
        this(machineId, sshFingerprints, sshPublicKeys, null);
    }
}
