package dev.jxen.customize;

import dev.jxen.customize.KernelImage.Packing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The payload of an x86 bzImage found through its setup header, and named by its first bytes. */
class KernelImageTest {
    /** A bzImage: {@code setupSects} sectors of setup after the boot sector, the payload {@code offset} bytes after that. */
    private static byte[] bzImage(int setupSects, int offset, String magicHex, int protocol) {
        byte[] magic = HexFormat.of().parseHex(magicHex);
        int start = ((setupSects == 0 ? 4 : setupSects) + 1) * 512 + offset;
        ByteBuffer b = ByteBuffer.allocate(start + 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) setupSects);
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) protocol);
        b.putInt(0x248, offset);
        b.put(start, magic);
        return b.array();
    }

    @ParameterizedTest
    @CsvSource({
        "1f8b0800,     GZIP,  true",
        "fd377a585a00, XZ,    true",
        "28b52ffd,     ZSTD,  false",
        "5d000000,     LZMA,  true",
        "894c5a4f,     LZO,   true",
        "02214c18,     LZ4,   true",
        "425a6839,     BZIP2, false",
        "00000000,     UNKNOWN, false",
    })
    void thePayloadIsNamedByItsMagic(String magic, Packing want, boolean pvgrub2Starts) throws Exception {
        for (int sects : new int[] {0, 1, 30}) {
            Packing got = KernelImage.packing(new ByteArrayInputStream(bzImage(sects, 0x3c2 + sects, magic, 0x020f)));
            assertEquals(want, got, "setup sectors " + sects);
            assertEquals(pvgrub2Starts, got.pvgrub2PvStarts());
        }
    }

    @Test
    void whatIsNoBzImageIsSaidSo() throws Exception {
        assertEquals(Packing.ELF, KernelImage.packing(new ByteArrayInputStream(new byte[] {0x7f, 'E', 'L', 'F', 2, 1})));
        assertEquals(Packing.UNKNOWN, KernelImage.packing(new ByteArrayInputStream("#!/bin/sh\n".getBytes())));
        assertEquals(Packing.UNKNOWN, KernelImage.packing(new ByteArrayInputStream(bzImage(1, 16, "28b52ffd", 0x0206))),
                "before boot protocol 2.08 the header names no payload");
        byte[] cut = bzImage(1, 4096, "28b52ffd", 0x020f);
        assertEquals(Packing.UNKNOWN, KernelImage.packing(new ByteArrayInputStream(java.util.Arrays.copyOf(cut, 2000))), "a cut file");
        assertTrue(Packing.ELF.pvgrub2PvStarts());
        assertFalse(Packing.UNKNOWN.pvgrub2PvStarts(), "when in doubt, refuse");
    }
}
