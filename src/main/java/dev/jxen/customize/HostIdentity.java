package dev.jxen.customize;

import java.util.List;

/** A guest's own identity as made by the identity stage: its SSH host key fingerprints. */
public record HostIdentity(String machineId, List<String> sshFingerprints) {
}
