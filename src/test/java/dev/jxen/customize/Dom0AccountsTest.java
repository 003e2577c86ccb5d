package dev.jxen.customize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dom0AccountsTest {
    @TempDir
    Path tmp;

    @Test
    void copiesOrdinaryUsersWithTheirShadowAndGroupButNotSystemUsersOrClashes() throws Exception {
        Path dom0 = Files.createDirectories(tmp.resolve("dom0-etc"));
        Files.writeString(dom0.resolve("passwd"), String.join("\n",
                "root:x:0:0:root:/root:/bin/bash", "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin",
                "alice:x:1000:1000:Alice:/home/alice:/bin/bash", "bob:x:1001:1001::/home/bob:/bin/sh",
                "guestuser:x:1002:1002::/home/guestuser:/bin/sh", "nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin", ""));
        Files.writeString(dom0.resolve("shadow"), "root:$6$r$root:19000:0:99999:7:::\nalice:$6$a$alicehash:19000:0:99999:7:::\n");
        Files.writeString(dom0.resolve("group"), "root:x:0:\nalice:x:1000:\nbob:x:1001:\nguestuser:x:1002:\n");
        Path guest = Files.createDirectories(tmp.resolve("guest/etc")).getParent();
        Files.writeString(guest.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\nguestuser:x:1500:1500::/home/g:/bin/sh\n");
        Files.writeString(guest.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(guest.resolve("etc/group"), "root:x:0:\n");

        List<String> copied = Dom0Accounts.copy(dom0, dev.jxen.guest.GuestRoot.at(guest));

        assertEquals(List.of("alice", "bob"), copied);
        String passwd = Files.readString(guest.resolve("etc/passwd"));
        assertTrue(passwd.contains("alice:x:1000:1000:Alice:/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/sh"), passwd);
        assertFalse(passwd.contains("nobody") || passwd.contains("daemon"), passwd);
        String shadow = Files.readString(guest.resolve("etc/shadow"));
        assertTrue(shadow.contains("alice:$6$a$alicehash:"), shadow);
        assertTrue(shadow.contains("bob:!:"), "a user without a dom0 shadow entry gets a locked one: " + shadow);
        assertFalse(shadow.contains("$6$r$root"), "root's hash was copied");
        assertTrue(Files.readString(guest.resolve("etc/group")).contains("alice:x:1000:\nbob:x:1001:"));
        assertEquals(1000, Files.getAttribute(guest.resolve("home/alice"), "unix:uid"));
    }
}
