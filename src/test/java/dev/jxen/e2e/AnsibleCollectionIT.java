package dev.jxen.e2e;

import dev.jxen.cli.InProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Ansible collection jxen.xen with the real engine (Debian's ansible-core): built with
 * ansible-galaxy, installed from its tarball, and run by ansible-playbook over real SSH against two
 * dom0s, each an OpenSSH sshd on its own loopback address with its own storage, .cfg directory and
 * hosts file. The dom0s are this machine, which has no Xen: for started and stopped, their xl is a
 * script that remembers which guests "run" (the rig starts real guests with jxen's --boot).
 */
@Tag("root")
@Tag("mirror")
class AnsibleCollectionIT {
    private static final Pattern RECAP = Pattern.compile("^(dom0[ab])\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)",
            Pattern.MULTILINE);
    private static final String FAKE_XL = """
            #!/bin/sh
            # xl for a dom0 without Xen: the guests it "runs" are the lines of $FAKE_XL_STATE
            set -eu
            state=${FAKE_XL_STATE:?}
            touch "$state"
            case "$1" in
            info) echo 'virt_caps              : pv hvm hap' ;;
            list) echo 'Name                                        ID   Mem VCPUs\tState\tTime(s)'
                  echo 'Domain-0                                     0   768     2     r-----      10.0'
                  awk '{ printf "%-40s %5d   256     1     -b----       0.1\\n", $1, NR }' "$state" ;;
            create) name=$(sed -n 's/^name *= *"\\(.*\\)"$/\\1/p' "$2")
                  if grep -qx "$name" "$state"; then echo "domain $name already exists" >&2; exit 1; fi
                  echo "$name" >> "$state" ;;
            domid) grep -nx "$2" "$state" | cut -d: -f1 ;;
            shutdown) for name; do :; done
                  grep -vx "$name" "$state" > "$state.new" || true; mv "$state.new" "$state" ;;
            *) echo "xl: $1 is not known here" >&2; exit 1 ;;
            esac
            """;

    @TempDir
    Path tmp;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path ssh;
    private Path clientKey;
    private Path authorized;
    private Path knownHosts;

    record Run(int exit, String out, Map<String, int[]> recap) {
        int changed(String host) {
            return recap.get(host)[1];
        }

        int failed(String host) {
            return recap.get(host)[3];
        }

        String recapLines() {
            return out.lines().filter(l -> RECAP.matcher(l).find()).map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("(no recap)");
        }
    }

    @BeforeEach
    void needs() {
        Jxen.assumeRoot();
        for (String tool : List.of("/usr/bin/ansible-playbook", "/usr/bin/ansible-galaxy", "/usr/sbin/sshd")) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is missing (tests/install-deps test installs ansible-core and openssh-server)");
        }
    }

    @Test
    void guestsOnTwoDom0sOverRealSsh() throws Exception {
        Path home = InProcess.home();
        controller();
        Path fakeXl = tmp.resolve("fake-xl");
        Files.writeString(fakeXl, FAKE_XL);
        Files.setPosixFilePermissions(fakeXl, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = InProcess.scratchConfigDir(tmp.resolve("config-root"));

        try (LoopbackSshd a = LoopbackSshd.start("127.0.0.2", ssh.resolve("dom0a"), authorized);
             LoopbackSshd b = LoopbackSshd.start("127.0.0.3", ssh.resolve("dom0b"), authorized)) {
            Files.writeString(knownHosts, a.knownHostsLine() + "\n" + b.knownHostsLine() + "\n");
            Path dom0a = dom0Root("dom0a");
            Path dom0b = dom0Root("dom0b");
            Path inventory = tmp.resolve("inventory.yml");
            Files.writeString(inventory, String.join("\n",
                    "all:",
                    "  children:",
                    "    dom0s:",
                    "      hosts:",
                    "        dom0a: {ansible_host: " + a.address + ", ansible_port: " + a.port + ", jxen_root: " + dom0a
                            + ", guests: [{name: ga1, ip: 192.0.2.11}, {name: ga2}]}",
                    "        dom0b: {ansible_host: " + b.address + ", ansible_port: " + b.port + ", jxen_root: " + dom0b + ", guests: [{name: gb1}]}",
                    "      vars:",
                    connectionVars("        "),
                    "        jxen_bin: " + home.resolve("bin"),
                    "        jxen_config: " + config,
                    "        jxen_base_cache: " + Jxen.SHARED_CACHE,
                    "        jxen_env:",
                    "          JXEN_DOM0_HOSTS: '{{ jxen_root }}/hosts'",
                    "          JXEN_STATE_DIR: '{{ jxen_root }}/state'",
                    "          JXEN_LOCK_DIR: '{{ jxen_root }}/locks'",
                    "          JXEN_WORK_DIR: '{{ jxen_root }}/work'",
                    "          JXEN_HYPERVISOR_TYPE: '{{ jxen_root }}/hypervisor-type'",
                    "          JXEN_XL: " + fakeXl,
                    "          FAKE_XL_STATE: '{{ jxen_root }}/xl-running'", ""));
            Path playbook = tmp.resolve("guests.yml");
            Files.copy(home.resolve("src/test/resources/ansible/guests.yml"), playbook);

            Run first = playbook(inventory, playbook);
            report("first run", first);
            for (String h : List.of("dom0a", "dom0b")) {
                assertEquals(1, first.changed(h), h + " made its guests: " + first.out);
                assertEquals(0, first.failed(h), first.out);
            }
            for (String g : List.of("ga1", "ga2")) {
                assertTrue(Files.isRegularFile(dom0a.resolve("etc/" + g + ".cfg")), g + " on dom0a");
                assertTrue(Files.isRegularFile(dom0a.resolve("store/domains/" + g + "/disk.img")));
                assertFalse(Files.exists(dom0b.resolve("etc/" + g + ".cfg")), g + " is not on dom0b");
            }
            assertTrue(Files.isRegularFile(dom0b.resolve("etc/gb1.cfg")));
            assertFalse(Files.exists(dom0a.resolve("etc/gb1.cfg")));
            assertTrue(Files.readString(dom0a.resolve("hosts")).contains("192.0.2.11"), "ga1's address in dom0a's hosts file");
            assertTrue(first.out.contains("guests of dom0a: ga1,ga2") || first.out.contains("guests of dom0a: ga2,ga1"), first.out);
            Map<String, String> passwords = new LinkedHashMap<>();
            for (Path root : List.of(dom0a, dom0b)) {
                try (var files = Files.list(root.resolve("passwords"))) {
                    for (Path f : files.toList()) {
                        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(f), f.toString());
                        passwords.put(f.getFileName().toString(), Files.readString(f).strip());
                    }
                }
            }
            assertEquals(Set.of("ga1", "ga2", "gb1"), passwords.keySet());
            assertNoPassword(passwords, first.out);

            Run second = playbook(inventory, playbook);
            report("second run", second);
            for (String h : List.of("dom0a", "dom0b")) {
                assertEquals(0, second.changed(h), "nothing changes on a second run: " + second.out);
                assertEquals(0, second.failed(h), second.out);
            }

            Map<String, String> before = snapshot(dom0a, dom0b);
            Run check = playbook(inventory, playbook, "--check", "--diff", "-e", "guest_memory=512M", "-e", "force=true");
            report("check mode, memory 512M, force", check);
            for (String h : List.of("dom0a", "dom0b")) {
                assertEquals(1, check.changed(h), "check mode says what would change: " + check.out);
                assertEquals(0, check.failed(h), check.out);
            }
            assertTrue(check.out.contains("-memory  = 256") && check.out.contains("+memory  = 512"), "the diff of the .cfg: " + check.out);
            assertEquals(before, snapshot(dom0a, dom0b), "check mode changes nothing");

            Run differs = playbook(inventory, playbook, "-e", "guest_memory=512M");
            report("memory 512M without force", differs);
            for (String h : List.of("dom0a", "dom0b")) {
                assertEquals(1, differs.failed(h), "a guest that differs is reported, not replaced: " + differs.out);
            }
            assertTrue(differs.out.contains("differs from the task's settings") && differs.out.contains("+memory  = 512"), differs.out);
            assertTrue(differs.out.contains("set force: true"), differs.out);
            assertEquals(before, snapshot(dom0a, dom0b), "nothing was replaced without force");

            Run forced = playbook(inventory, playbook, "--limit", "dom0b", "-e", "guest_memory=512M", "-e", "force=true");
            report("memory 512M with force on dom0b", forced);
            assertEquals(1, forced.changed("dom0b"), forced.out);
            assertEquals(0, forced.failed("dom0b"), forced.out);
            assertTrue(Files.readString(dom0b.resolve("etc/gb1.cfg")).contains("memory  = 512"));
            assertTrue(Files.readString(dom0a.resolve("etc/ga1.cfg")).contains("memory  = 256"), "dom0a was not in the play");
            String gb1Password = Files.readString(dom0b.resolve("passwords/gb1")).strip();
            assertFalse(gb1Password.equals(passwords.get("gb1")), "the replaced guest has a new password in its file");
            passwords.put("gb1-new", gb1Password);
            assertNoPassword(passwords, forced.out);

            Run started = playbook(inventory, playbook, "-e", "guest_memory=512M", "--limit", "dom0b", "-e", "guest_state=started");
            report("started", started);
            assertEquals(1, started.changed("dom0b"), started.out);
            assertEquals(List.of("gb1"), Files.readAllLines(dom0b.resolve("xl-running")));
            assertEquals(0, playbook(inventory, playbook, "-e", "guest_memory=512M", "--limit", "dom0b", "-e", "guest_state=started").changed("dom0b"));
            Run stopped = playbook(inventory, playbook, "-e", "guest_memory=512M", "--limit", "dom0b", "-e", "guest_state=stopped");
            report("stopped", stopped);
            assertEquals(1, stopped.changed("dom0b"), stopped.out);
            assertEquals(List.of(), Files.readAllLines(dom0b.resolve("xl-running")));

            Run absentCheck = playbook(inventory, playbook, "--check", "-e", "guest_state=absent");
            assertEquals(1, absentCheck.changed("dom0a"), absentCheck.out);
            assertTrue(Files.isRegularFile(dom0a.resolve("etc/ga1.cfg")), "check mode deletes nothing");
            Run absent = playbook(inventory, playbook, "-e", "guest_state=absent");
            report("absent", absent);
            for (String h : List.of("dom0a", "dom0b")) {
                assertEquals(1, absent.changed(h), absent.out);
                assertEquals(0, absent.failed(h), absent.out);
            }
            for (Path root : List.of(dom0a, dom0b)) {
                assertEquals(List.of(), list(root.resolve("etc")), "no .cfg left on " + root);
                assertEquals(List.of(), list(root.resolve("store/domains")), "no storage left on " + root);
                assertEquals(List.of(), list(root.resolve("passwords")), "no password file left on " + root);
                assertEquals(List.of(), Leftovers.mountsUnder(root), "no mount left under " + root);
                assertEquals(List.of(), Leftovers.loopsUnder(root), "no loop device left under " + root);
            }
            Run absentAgain = playbook(inventory, playbook, "-e", "guest_state=absent");
            report("absent again", absentAgain);
            assertEquals(0, absentAgain.changed("dom0a"), absentAgain.out);
            assertEquals(0, absentAgain.changed("dom0b"), absentAgain.out);
            assertNoPassword(passwords, Files.readString(tmp.resolve("ansible.log")));
        }
    }

    @Test
    void sanityOfTheCollection() throws Exception {
        Path home = InProcess.home();
        ProcessBuilder pb = new ProcessBuilder(home.resolve("tests/ansible-sanity.sh").toString()).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "ansible-test sanity hung");
        assertEquals(0, p.exitValue(), "ansible-test sanity: " + out);
        long tests = out.lines().filter(l -> l.startsWith("Running sanity test")).count();
        System.out.println("ansible-test sanity: " + tests + " tests passed");
        for (String t : List.of("pylint", "pep8", "yamllint", "import", "ansible-doc", "compile")) {
            assertTrue(out.contains("Running sanity test \"" + t + "\""), t + " ran: " + out);
        }
        // left out only where this ansible-test needs a module Debian does not package (Debian 13's ansible-core 2.19)
        Process parser = new ProcessBuilder("python3", "-c", "import antsibull_docs_parser").redirectErrorStream(true).start();
        parser.getInputStream().readAllBytes();
        boolean noParser = parser.waitFor() != 0;
        assertTrue(out.contains("Running sanity test \"validate-modules\"") || (noParser && out.contains("ansible-sanity: skipping validate-modules")),
                "validate-modules ran, or was left out for want of antsibull_docs_parser: " + out);
    }

    @Test
    void dom0RoleInstallsJxenAndLaysDownProfiles() throws Exception {
        Path home = InProcess.home();
        Process q = new ProcessBuilder("dpkg-query", "-W", "-f", "${Status}", "jxen").redirectErrorStream(true).start();
        String status = new String(q.getInputStream().readAllBytes());
        q.waitFor();
        Assumptions.assumeFalse(status.contains("installed") && !status.contains("not-installed"),
                "jxen is installed on this machine already; the role's test installs and purges it");
        String deb = sh(List.of("packaging/build-deb.sh"), home).strip();
        controller();
        Path config = InProcess.scratchConfigDir(tmp.resolve("config-root"));
        String xenToolsConf = Files.readString(config.resolve("xen-tools.conf"));
        boolean cacheDirBefore = Files.exists(Path.of("/var/cache/jxen-ansible"));
        try (LoopbackSshd a = LoopbackSshd.start("127.0.0.2", ssh.resolve("dom0a"), authorized)) {
            Files.writeString(knownHosts, a.knownHostsLine() + "\n");
            Path inventory = tmp.resolve("inventory.yml");
            Files.writeString(inventory, String.join("\n",
                    "dom0s:",
                    "  hosts:",
                    "    dom0a: {ansible_host: " + a.address + ", ansible_port: " + a.port + "}",
                    "  vars:",
                    connectionVars("    "), ""));
            Path playbook = tmp.resolve("dom0.yml");
            Files.writeString(playbook, String.join("\n",
                    "- hosts: dom0s",
                    "  gather_facts: false",
                    "  roles:",
                    "    - role: jxen.xen.dom0",
                    "      vars:",
                    "        jxen_deb: " + deb,
                    "        jxen_config_dir: " + config,
                    "        jxen_profiles: {ansible-small: {memory: 384M, swap: 128M}}",
                    "        jxen_settings: {vcpus: 2}",
                    "  tasks:",
                    "    - name: A guest of the profile, planned with the installed jxen",
                    "      jxen.xen.jxen_guest:",
                    "        hostname: role1",
                    "        profile: ansible-small",
                    "        dist: bookworm",
                    "        dhcp: true",
                    "        dir: " + tmp.resolve("store"),
                    "        output: " + tmp.resolve("etc"),
                    "        config_dir: " + config,
                    "      check_mode: true",
                    "      diff: true", ""));
            try {
                Run first = playbook(inventory, playbook);
                report("role jxen.xen.dom0, first run", first);
                assertEquals(0, first.failed("dom0a"), first.out);
                assertTrue(Files.isExecutable(Path.of("/usr/bin/jxen-create-image")), "the package is installed: " + first.out);
                assertEquals("# --profile ansible-small: written by the Ansible role jxen.xen.dom0; changes here are replaced\nmemory = 384M\nswap = 128M\n",
                        Files.readString(config.resolve("profiles/ansible-small.conf")));
                List<String> expected = xenToolsConf.lines().map(l -> l.matches("\\s*vcpus\\s*=.*") ? "vcpus = 2" : l).toList();
                assertEquals(expected, Files.readString(config.resolve("xen-tools.conf")).lines().toList(),
                        "the setting replaces the line of its key; the rest of xen-tools.conf stays");
                assertTrue(first.out.contains("+memory  = 384") && first.out.contains("+vcpus   = 2"), "the guest's .cfg has the profile's memory and the setting's vcpus: " + first.out);
                assertFalse(Files.exists(tmp.resolve("etc/role1.cfg")), "check mode made nothing");
                Run second = playbook(inventory, playbook);
                report("role jxen.xen.dom0, second run", second);
                assertEquals(1, second.changed("dom0a"), "only the check-mode guest task reports a change: " + second.out);
                assertEquals(0, second.failed("dom0a"), second.out);
            } finally {
                sh(List.of("apt-get", "purge", "-y", "-q", "jxen"), tmp);
                Files.deleteIfExists(Path.of("/var/cache/jxen-ansible").resolve(Path.of(deb).getFileName()));
                if (!cacheDirBefore) {
                    Files.deleteIfExists(Path.of("/var/cache/jxen-ansible"));
                }
            }
        }
    }

    /**
     * The controller's side: the collection built and installed from its tarball, a client key that
     * the dom0s' sshd accept for root, and Ansible's environment (host keys checked, a log file).
     */
    private void controller() throws Exception {
        Path home = InProcess.home();
        Path collections = tmp.resolve("collections");
        String tarball = sh(List.of(home.resolve("packaging/build-collection.sh").toString()), home).strip();
        assertTrue(tarball.endsWith(".tar.gz") && Files.isRegularFile(Path.of(tarball)), tarball);
        sh(List.of("ansible-galaxy", "collection", "install", "-p", collections.toString(), tarball), tmp);
        assertTrue(Files.isRegularFile(collections.resolve("ansible_collections/jxen/xen/plugins/modules/jxen_guest.py")));
        ssh = Files.createDirectories(tmp.resolve("ssh"));
        clientKey = LoopbackSshd.keyPair(ssh.resolve("id_ed25519"));
        authorized = ssh.resolve("authorized_keys");
        Files.copy(Path.of(clientKey + ".pub"), authorized);
        knownHosts = ssh.resolve("known_hosts");
        env.put("ANSIBLE_COLLECTIONS_PATH", collections.toString());
        env.put("ANSIBLE_LOG_PATH", tmp.resolve("ansible.log").toString());
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        env.put("ANSIBLE_HOST_KEY_CHECKING", "True");
        env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", tmp.resolve("cp").toString());
    }

    /** The inventory's connection variables, at the given indentation: root with the test's key, host keys from known_hosts only. */
    private String connectionVars(String indent) {
        return String.join("\n",
                indent + "ansible_user: root",
                indent + "ansible_python_interpreter: /usr/bin/python3",
                indent + "ansible_ssh_private_key_file: " + clientKey,
                indent + "ansible_ssh_common_args: -o UserKnownHostsFile=" + knownHosts + " -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes");
    }

    private Path dom0Root(String name) throws Exception {
        Path root = tmp.resolve(name);
        Files.createDirectories(root);
        Files.copy(Path.of("/etc/hosts"), root.resolve("hosts"));
        Files.writeString(root.resolve("hypervisor-type"), "xen\n");
        return root;
    }

    private Run playbook(Path inventory, Path playbook, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook", "-v", "-i", inventory.toString(), playbook.toString()));
        cmd.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "ansible-playbook hung");
        Map<String, int[]> recap = new LinkedHashMap<>();
        Matcher m = RECAP.matcher(out);
        while (m.find()) {
            recap.put(m.group(1), new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(5))});
        }
        for (String h : List.of("dom0a", "dom0b")) {
            recap.putIfAbsent(h, new int[] {0, 0, 0, 0});
            assertEquals(0, recap.get(h)[2], h + " was reachable over SSH: " + out);
        }
        return new Run(p.exitValue(), out, recap);
    }

    private static void report(String what, Run run) {
        System.out.println("ansible-playbook, " + what + " (exit " + run.exit() + "):\n" + run.recapLines());
    }

    private static void assertNoPassword(Map<String, String> passwords, String text) {
        passwords.forEach((guest, pw) -> assertFalse(pw.isEmpty() || text.contains(pw), "the password of " + guest + " is in Ansible's output"));
    }

    /** Each guest's .cfg text and its images' sizes and times, on both dom0s. */
    private static Map<String, String> snapshot(Path... roots) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path root : roots) {
            for (Path cfg : list(root.resolve("etc"))) {
                out.put(cfg.toString(), Files.readString(cfg));
            }
            try (var walk = Files.walk(root.resolve("store"))) {
                for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                    out.put(f.toString(), Files.size(f) + " " + Files.getLastModifiedTime(f));
                }
            }
        }
        return out;
    }

    private static List<Path> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static String sh(List<String> cmd, Path dir) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", cmd) + " hung");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
