package dev.jxen.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vif-nat gives a NATed guest's vif its address + 127 in the last octet: the guest's gateway is checked against it. */
class NatGatewayTest {
    @TempDir
    Path tmp;

    private List<String> warnings(String... settings) throws Exception {
        String[] all = new String[settings.length + 3];
        all[0] = "hostname=n1";
        all[1] = "dir=" + tmp.resolve("store");
        all[2] = "network-mode=nat";
        System.arraycopy(settings, 0, all, 3, settings.length);
        return TestSpecs.spec(tmp, all).warnings().stream().filter(w -> w.contains("vif-nat")).toList();
    }

    @Test
    void theRightGatewayIsNotWarnedAbout() throws Exception {
        assertEquals(List.of(), warnings("ip=10.0.0.10", "netmask=255.255.255.0", "gateway=10.0.0.137"));
    }

    @Test
    void noGatewayNamesTheOneToGive() throws Exception {
        List<String> w = warnings("ip=10.0.0.10", "netmask=255.255.255.0");
        assertTrue(w.size() == 1 && w.get(0).contains("no default route") && w.get(0).contains("give --gateway 10.0.0.137"), w.toString());
    }

    @Test
    void anotherGatewayIsNamed() throws Exception {
        List<String> w = warnings("ip=10.0.0.10", "netmask=255.255.255.0", "gateway=10.0.0.1");
        assertTrue(w.size() == 1 && w.get(0).contains("vif 10.0.0.137") && w.get(0).contains("not 10.0.0.1"), w.toString());
    }

    @Test
    void aRouterOutsideTheNetworkOrItsBroadcastIsNoGateway() throws Exception {
        for (String[] s : List.of(new String[] {"ip=10.0.0.10/25"}, new String[] {"ip=10.0.0.128", "netmask=255.255.255.0"},
                new String[] {"ip=10.0.0.200", "netmask=255.255.255.0"})) {
            List<String> w = warnings(s);
            assertTrue(w.size() == 1 && w.get(0).contains("no gateway to reach beyond the dom0"), String.join(" ", s) + ": " + w);
        }
    }

    @Test
    void anIpv6FirstAddressIsWarnedAbout() throws Exception {
        List<String> w = warnings("ip=2001:db8::10/64");
        assertTrue(w.size() == 1 && w.get(0).contains("IPv4 only"), w.toString());
    }
}
