package dev.jxen.customize;

import java.util.List;

/**
 * A guest's own identity as made by the identity stage: its SSH host key fingerprints, and the
 * public keys themselves ({@code .pub} lines), which first contact checks the guest against.
 */
public record HostIdentity(String machineId, List<String> sshFingerprints, List<String> sshPublicKeys) {
}
