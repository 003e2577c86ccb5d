package dev.jxen.customize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * How a Linux kernel file is packed: an x86 bzImage names where its compressed payload starts
 * (boot protocol 2.08 and later: setup sectors, payload_offset), and the payload's first bytes say
 * which compressor made it. pvgrub2 in a PV guest unpacks the payload itself and knows gzip, xz, lzma,
 * lzo and lz4 (GRUB's Xen loader), not zstd.
 */
public final class KernelImage {
    /** The compression of a kernel's payload, or what else the file is. */
    public enum Packing {
        GZIP, XZ, ZSTD, LZMA, BZIP2, LZO, LZ4, ELF, UNKNOWN;

        /** Whether GRUB's Xen PV loader (pvgrub2 in a PV guest) can start a kernel packed so. */
        public boolean pvgrub2PvStarts() {
            return this != ZSTD && this != BZIP2 && this != UNKNOWN;
        }
    }

    private static final int HEADER = 0x268;

    private KernelImage() {
    }

    /** Reads at most the setup header and the payload's first bytes. */
    public static Packing packing(InputStream in) throws IOException {
        byte[] head = in.readNBytes(HEADER);
        if (head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
            return Packing.ELF;
        }
        if (head.length < HEADER) {
            return Packing.UNKNOWN;
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0x202) != 0x53726448 || (b.getShort(0x206) & 0xffff) < 0x0208) { // "HdrS", protocol 2.08
            return Packing.UNKNOWN;
        }
        int setupSects = head[0x1f1] & 0xff;
        long payload = (long) ((setupSects == 0 ? 4 : setupSects) + 1) * 512 + (b.getInt(0x248) & 0xffffffffL);
        long skip = payload - HEADER;
        if (skip < 0 || skip > (64L << 20)) {
            return Packing.UNKNOWN;
        }
        try {
            in.skipNBytes(skip);
        } catch (java.io.EOFException e) {
            return Packing.UNKNOWN;
        }
        return byMagic(in.readNBytes(6));
    }

    private static Packing byMagic(byte[] m) {
        if (starts(m, 0x1f, 0x8b)) {
            return Packing.GZIP;
        }
        if (starts(m, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return Packing.XZ;
        }
        if (starts(m, 0x28, 0xb5, 0x2f, 0xfd)) {
            return Packing.ZSTD;
        }
        if (starts(m, 0x5d, 0x00, 0x00)) {
            return Packing.LZMA;
        }
        if (starts(m, 'B', 'Z', 'h')) {
            return Packing.BZIP2;
        }
        if (starts(m, 0x89, 'L', 'Z', 'O')) {
            return Packing.LZO;
        }
        if (starts(m, 0x02, 0x21, 0x4c, 0x18)) {
            return Packing.LZ4;
        }
        return Packing.UNKNOWN;
    }

    private static boolean starts(byte[] m, int... want) {
        if (m.length < want.length) {
            return false;
        }
        return Arrays.equals(Arrays.copyOf(m, want.length), toBytes(want));
    }

    private static byte[] toBytes(int[] v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }
}
