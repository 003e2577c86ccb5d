package dev.jxen.xen;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * xl's output as the Xen rig's dom0s printed it (Debian 12's Xen 4.17, Debian 13's Xen 4.20, copied
 * from the rig's results): what jxen reads of it, for both.
 */
class XlOutputFixturesTest {
    private static String fixture(String xen, String file) throws IOException {
        try (InputStream in = XlOutputFixturesTest.class.getResourceAsStream("/xl/xen-" + xen + "/" + file)) {
            assertNotNull(in, "no fixture xl/xen-" + xen + "/" + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @CsvSource({"4.17, 4.17.7", "4.20, 4.20.5-pre"})
    void xlInfoSaysTheHypervisorRunsPvhGuests(String xen, String version) throws IOException {
        String info = fixture(xen, "xl-info.txt");
        assertTrue(info.contains("xen_version            : " + version), "the fixture is Xen " + version + "'s");
        XlInfo parsed = XlInfo.parse(info);
        assertEquals(Set.of("pv", "hvm", "hap", "gnttab-v1", "gnttab-v2"), parsed.virtCaps().orElseThrow());
        assertEquals(Boolean.TRUE, parsed.runsPvh().orElseThrow());
        assertTrue(parsed.how().startsWith("xl info: virt_caps pv hvm"), parsed.how());
    }

    @ParameterizedTest
    @CsvSource({"4.17, g1", "4.20, g13"})
    void xlListNamesTheRunningGuestAndTheDom0(String xen, String guest) throws IOException {
        Set<String> names = XlDomains.names(fixture(xen, "xl-list.txt"));
        assertEquals(Set.of("Domain-0", guest), names);
    }

    @ParameterizedTest
    @CsvSource({"4.17", "4.20"})
    void xlInfoWithoutVirtCapsCannotTell(String xen) throws IOException {
        String info = fixture(xen, "xl-info.txt").replaceAll("(?m)^virt_caps.*\n", "");
        XlInfo parsed = XlInfo.parse(info);
        assertTrue(parsed.runsPvh().isEmpty(), "a state jxen cannot determine is no yes");
    }
}
