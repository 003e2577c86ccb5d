package dev.jxen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jxen_guest module of the Ansible collection given hostile parameters, run as Ansible runs it
 * (python3 with its arguments in a JSON file), in check mode so that nothing could be made even if a
 * parameter got through: each is refused by the module or by jxen's own dry run, with its reason.
 */
class AnsibleHostileParamsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    static Stream<Arguments> hostileParams() {
        return Stream.of(
            Arguments.of(Map.of("hostname", "../etc"), "is not a host name"),
            Arguments.of(Map.of("hostname", "web1;reboot"), "is not a host name"),
            Arguments.of(Map.of("hostname", "web1\nmemory = 1"), "is not a host name"),
            Arguments.of(Map.of("hostname", "localhost"), "is reserved for the machine itself"),
            Arguments.of(Map.of("extra_args", List.of("--force")), "extra_args: --force is refused"),
            Arguments.of(Map.of("extra_args", List.of("--password=hunter2hunter2")), "extra_args: --password is refused"),
            Arguments.of(Map.of("extra_args", List.of("--password-from", "/etc/shadow")), "extra_args: --password-from is refused"),
            Arguments.of(Map.of("extra_args", List.of("@/tmp/args")), "extra_args: '@/tmp/args' is refused"),
            Arguments.of(Map.of("extra_args", List.of("--role=x\n--force")), "is refused"),
            Arguments.of(Map.of("extra_args", List.of("--", "x")), "extra_args: -- is refused"),
            Arguments.of(Map.of("extra_args", List.of("--dry-run")), "extra_args: --dry-run is refused"),
            Arguments.of(Map.of("extra_args", List.of("--boot")), "extra_args: --boot is refused"),
            Arguments.of(Map.of("wait_ssh", 60), "wait_ssh needs state: started"),
            Arguments.of(Map.of("lvm", "vg0"), "mutually exclusive"),
            Arguments.of(Map.of("password", "hunter2hunter2", "password_file", "/root/pw"), "mutually exclusive"),
            Arguments.of(Map.of("vcpus", "two"), "vcpus"),
            Arguments.of(Map.of("bogus", "1"), "Unsupported parameters"),
            Arguments.of(Map.of("ip", List.of("127.0.0.1")), "is a loopback address"),
            Arguments.of(Map.of("ip", List.of("192.0.2.10"), "gateway", "192.0.2.10"), "is the guest's own address"),
            Arguments.of(Map.of("mirror", "http://user:pw@mirror.example/debian"), "holds a user name or password"),
            Arguments.of(Map.of("mirror", "http://mirror.example/deb%0aian"), "holds a backslash or a control character"),
            Arguments.of(Map.of("memory", "1G;reboot"), "is not a size"),
            Arguments.of(Map.of("size", "-1G"), "is not a size"),
            Arguments.of(Map.of("role", List.of("../../bin/x")), "is not a role name or path"),
            Arguments.of(Map.of("authorized_keys", "/dev/zero"), "is not a plain file"),
            Arguments.of(Map.of("bridge", "br0;reboot"), "must be an interface name"),
            Arguments.of(Map.of("mac", "ff:ff:ff:ff:ff:ff"), "is a multicast address"),
            Arguments.of(Map.of("dist", "../../etc"), "unknown distribution")
        );
    }

    private JsonNode module(Map<String, Object> params, boolean checkMode) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")) && Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/ansible")),
                "needs python3 and ansible-core (apt-get install ansible-core)");
        Path config = InProcess.scratchConfigDir(tmp);
        ObjectNode args = JSON.createObjectNode();
        args.put("hostname", "h1");
        args.put("dir", tmp.resolve("store").toString());
        args.put("output", tmp.resolve("out").toString());
        args.put("config_dir", config.toString());
        args.put("bindir", InProcess.home().resolve("bin").toString());
        args.put("dist", "bookworm");
        args.put("mirror", "http://mirror.example/debian");
        args.put("dhcp", true);
        args.put("_ansible_check_mode", checkMode);
        params.forEach((k, v) -> args.set(k, JSON.valueToTree(v)));
        if (params.containsKey("ip")) {
            args.remove("dhcp");
        }
        if (params.containsKey("lvm")) {
            args.put("dir", tmp.resolve("store").toString());
        }
        Path file = tmp.resolve("args.json");
        Files.writeString(file, JSON.writeValueAsString(JSON.createObjectNode().set("ANSIBLE_MODULE_ARGS", args)));
        Path module = InProcess.home().resolve("ansible/ansible_collections/jxen/xen/plugins/modules/jxen_guest.py");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", module.toString(), file.toString());
        pb.environment().put("PYTHONPATH", InProcess.home().resolve("ansible").toString());
        pb.redirectErrorStream(false);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        String json = out.substring(out.indexOf('{'));
        return JSON.readTree(json);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hostileParams")
    void isRefusedWithItsReason(Map<String, Object> params, String expected) throws Exception {
        JsonNode r = module(params, true);
        assertTrue(r.path("failed").asBoolean(), params + " was not refused: " + r);
        assertTrue(r.path("msg").asText().contains(expected), params + ": the message should say '" + expected + "' but is: " + r.path("msg").asText());
        assertFalse(Files.exists(tmp.resolve("store")), "the storage directory was made");
        assertFalse(Files.exists(tmp.resolve("out")), "the .cfg directory was made");
    }

    @Test
    void stateAbsentLeavesAPasswordFileAloneWhereNoGuestExists() throws Exception {
        Path victim = Files.writeString(tmp.resolve("shadow-like"), "root:$6$x:19000::::::\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        JsonNode r = module(Map.of("state", "absent", "password_file", victim.toString()), false);
        assertFalse(r.path("failed").asBoolean(), r.toString());
        assertFalse(r.path("changed").asBoolean(), "no guest, nothing to change: " + r);
        assertEquals("root:$6$x:19000::::::\n", Files.readString(victim), "the file password_file names is still there");
    }
}
