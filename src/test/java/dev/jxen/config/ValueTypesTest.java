package dev.jxen.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueTypesTest {
    @ParameterizedTest
    @CsvSource({"4G,4294967296", "4gb,4294967296", "512M,536870912", "512mb,536870912", "1.5G,1610612736", "100k,102400", "2T,2199023255552"})
    void sizesTakeXenToolsSuffixes(String text, long bytes) {
        assertEquals(bytes, Size.parse(text, false).bytes());
    }

    @Test
    void memoryWithoutUnitIsMebibytes() {
        assertEquals(256L << 20, Size.parse("256", true).bytes());
        assertThrows(IllegalArgumentException.class, () -> Size.parse("256", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0G", "-1G", "G", "abc", "4X", "99999999T", "1e9G", ""})
    void badSizesAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Size.parse(text, true));
    }

    @Test
    void macMatchesXenToolsDerivation() {
        // Checked on real xen-tools 4.9.2 runs (shared/COMPAT.md)
        assertEquals("00:16:3E:1C:91:A3", MacAddress.derived("xt1", "1", "bookworm").text());
        assertEquals("00:16:3E:35:29:46", MacAddress.derived("web1.example.org", "192.168.1.50", "bookworm").text());
    }

    @Test
    void randomMacIsUnicastInXensRange() {
        MacAddress m = MacAddress.random();
        assertTrue(m.text().startsWith("00:16:3E:"));
        MacAddress.parse(m.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"web1", "web1.example.org", "a", "x-1.y-2", "A1"})
    void goodHostnames(String h) {
        assertEquals(h, Hostname.parse(h).fqdn());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "a b", "-a", "a-", "a..b", ".a", "a.", "a_b", "a;rm"})
    void badHostnames(String h) {
        assertThrows(IllegalArgumentException.class, () -> Hostname.parse(h));
    }

    @Test
    void netmasksAndNetworks() {
        assertEquals(24, IpAddress.netmaskPrefix("255.255.255.0"));
        assertEquals(0, IpAddress.netmaskPrefix("0.0.0.0"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.netmaskPrefix("255.0.255.0"));
        IpAddress a = IpAddress.parse("192.0.2.10");
        assertTrue(a.sameNetwork(IpAddress.parse("192.0.2.1"), 24));
        assertTrue(!a.sameNetwork(IpAddress.parse("192.0.3.1"), 24));
        assertTrue(IpAddress.parse("2001:db8::10/64").v6());
    }
}
