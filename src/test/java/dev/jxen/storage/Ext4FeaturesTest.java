package dev.jxen.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ext4 features jxen turns off per guest release and dom0: a Debian 13 dom0's mke2fs (1.47.2)
 * turns on orphan_file, which an e2fsck before 1.47.0 refuses; a Debian 12 dom0's (1.47.0) knows the
 * feature and leaves it off by default, and a mke2fs before 1.47 must not be told of it at all.
 */
class Ext4FeaturesTest {
    @ParameterizedTest(name = "[{index}] a {0} guest on a dom0 with mke2fs {1}")
    @CsvSource({
        "bullseye, 1.47.2, -O ^orphan_file",
        "buster,   1.47.2, -O ^orphan_file",
        "focal,    1.47.2, -O ^orphan_file",
        "jammy,    1.47.2, -O ^orphan_file",
        "oldoldstable, 1.47.2, -O ^orphan_file",
        "bullseye, 1.47.0, -O ^orphan_file",
        "bookworm, 1.47.2, ''",
        "trixie,   1.47.2, ''",
        "noble,    1.47.2, ''",
        "forky,    1.47.2, ''",
        "sid,      1.47.2, ''",
        "bullseye, 1.46.2, ''",
        "bullseye, 1.46.5, ''",
    })
    void theFeaturesAnOlderGuestCannotReadAreTurnedOff(String dist, String dom0, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" "));
        assertEquals(want, Ext4Features.options(dist, Optional.of(dom0)));
    }

    @Test
    void anUnknownDom0Mke2fsIsToldNothing() {
        assertEquals(List.of(), Ext4Features.options("bullseye", Optional.empty()));
    }

    @Test
    void versionsCompareAsNumbers() {
        assertTrue(Ext4Features.older("1.46.10", "1.47.0"));
        assertTrue(Ext4Features.older("1.9", "1.47"));
        assertTrue(!Ext4Features.older("1.47.0", "1.47"));
        assertTrue(!Ext4Features.older("1.47.2", "1.47.0"));
    }

    @Test
    void thisDom0sMke2fsAnswersItsVersion() {
        assertTrue(Ext4Features.dom0Mke2fs().orElseThrow().matches("1\\.[0-9]+(\\.[0-9]+)?"), Ext4Features.dom0Mke2fs().toString());
    }
}
