package dev.jxen.customize;

import dev.jxen.pipeline.StageContext;
import dev.jxen.system.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A guest's SSH host keys (ed25519, ecdsa, rsa; never dsa), made on the dom0 in a private directory. */
public final class HostKeys {
    static final List<String[]> TYPES = List.of(new String[] {"ed25519", ""}, new String[] {"ecdsa", "521"}, new String[] {"rsa", "3072"});
    /** The files made, as named in the guest's /etc/ssh. */
    public static final List<String> FILES = TYPES.stream()
            .flatMap(t -> java.util.stream.Stream.of("ssh_host_" + t[0] + "_key", "ssh_host_" + t[0] + "_key.pub")).toList();

    private HostKeys() {
    }

    static Command keygen(Path dir, String guest, String[] type) {
        List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type[0]));
        if (!type[1].isEmpty()) {
            argv.addAll(List.of("-b", type[1]));
        }
        argv.addAll(List.of("-N", "", "-C", "root@" + guest, "-f", dir.resolve("ssh_host_" + type[0] + "_key").toString()));
        return Command.of(argv);
    }

    /** The ssh-keygen runs, for a plan: into KEYDIR, a private directory on the dom0. */
    static List<dev.jxen.pipeline.PlannedAction> plan(String guest) {
        return TYPES.stream().map(t -> dev.jxen.pipeline.PlannedAction.run(keygen(Path.of("KEYDIR"), guest, t))).toList();
    }

    /** The three keys at once: the RSA key takes most of the time, the others need not wait for it. */
    public static void make(StageContext ctx, Path dir, String guest) throws InterruptedException {
        make(ctx::run, dir, guest);
    }

    /** The same, each ssh-keygen run by {@code run}, which throws when it fails. */
    static void make(java.util.function.Consumer<Command> run, Path dir, String guest) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        for (String[] t : TYPES) {
            Thread th = new Thread(() -> {
                try {
                    run.accept(keygen(dir, guest, t));
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, "ssh-keygen-" + t[0]);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    public static List<String> publicKeys(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String[] t : TYPES) {
            out.add(Files.readString(dir.resolve("ssh_host_" + t[0] + "_key.pub")).strip());
        }
        return out;
    }

    public static List<String> fingerprints(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String key : publicKeys(dir)) {
            out.add(SshFingerprint.of(key));
        }
        return out;
    }
}
