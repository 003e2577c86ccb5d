package dev.jxen.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an ext2/3/4 superblock says of its filesystem's size, read from its bytes (never from a tool's
 * text, where a guest's volume label can be made to read as a field): an image shorter or longer than
 * its filesystem is not cloned, and a grown disk is cut back only while its filesystem still ends within
 * the old size.
 */
public final class Ext4Superblock {
    /** Where the superblock starts, and how many of its bytes are read. */
    public static final int AT = 1024;
    public static final int LENGTH = 1024;
    private static final int MAGIC = 0xEF53;
    private static final int INCOMPAT_64BIT = 0x80;
    private static final int INCOMPAT_META_BG = 0x10;
    private static final int COMPAT_RESIZE_INODE = 0x10;

    private Ext4Superblock() {
    }

    /** Why the file is not a whole ext4 image, or empty when it is. */
    public static Optional<String> mismatch(Path image) throws IOException {
        ByteBuffer sb = ByteBuffer.allocate(LENGTH);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            while (sb.hasRemaining() && ch.read(sb, AT + sb.position()) > 0) {
                // reads the whole superblock
            }
        }
        if (sb.hasRemaining() || !isExt(sb.array())) {
            return Optional.of("no ext4 superblock");
        }
        OptionalLong want = span(sb.array());
        if (want.isEmpty()) {
            return Optional.of("block size 2^" + (10 + le(sb.array()).getInt(0x18)) + " is not one of ext4's");
        }
        long size = Files.size(image);
        return size == want.getAsLong() ? Optional.empty() : Optional.of("the file has " + size + " bytes, its filesystem " + want.getAsLong());
    }

    private static ByteBuffer le(byte[] sb) {
        return ByteBuffer.wrap(sb).order(ByteOrder.LITTLE_ENDIAN);
    }

    static boolean isExt(byte[] sb) {
        return sb.length == LENGTH && (le(sb).getShort(0x38) & 0xffff) == MAGIC;
    }

    private static long blocks(ByteBuffer b) {
        long blocks = b.getInt(0x04) & 0xffffffffL;
        if ((b.getInt(0x60) & INCOMPAT_64BIT) != 0) {
            blocks |= (b.getInt(0x150) & 0xffffffffL) << 32;
        }
        return blocks;
    }

    /** log2 of the block size, or -1 for one ext4 does not have (1K to 64K). */
    private static int logBlockSize(ByteBuffer b) {
        int log = b.getInt(0x18);
        return log < 0 || log > 6 ? -1 : 10 + log;
    }

    /**
     * The bytes the filesystem spans (block count times block size), from the 1024 bytes of its superblock;
     * empty when they are no ext superblock or say something no ext filesystem is.
     */
    public static OptionalLong span(byte[] sb) {
        if (!isExt(sb)) {
            return OptionalLong.empty();
        }
        ByteBuffer b = le(sb);
        int log = logBlockSize(b);
        long blocks = blocks(b);
        if (log < 0 || blocks == 0 || Long.numberOfLeadingZeros(blocks) <= log) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(blocks << log);
    }

    /**
     * Whether resize2fs grows this filesystem to {@code newBytes} without moving a block: its group
     * descriptors grow into blocks reserved for them (resize_inode) or live in the groups themselves
     * (meta_bg). Only then is everything it writes before its superblock outside what the filesystem
     * uses, so that a resize2fs stopped half-way leaves the filesystem in the old size. False when it
     * cannot be told.
     */
    public static boolean growsInPlace(byte[] sb, long newBytes) {
        OptionalLong now = span(sb);
        if (now.isEmpty()) {
            return false;
        }
        ByteBuffer b = le(sb);
        if ((b.getInt(0x60) & INCOMPAT_META_BG) != 0) {
            return true;
        }
        if ((b.getInt(0x5C) & COMPAT_RESIZE_INODE) == 0) {
            return false;
        }
        int log = logBlockSize(b);
        long perGroup = b.getInt(0x20) & 0xffffffffL;
        long first = b.getInt(0x14) & 0xffffffffL;
        int descSize = (b.getInt(0x60) & INCOMPAT_64BIT) != 0 ? b.getShort(0xFE) & 0xffff : 32;
        if (perGroup == 0 || descSize < 32 || (1L << log) % descSize != 0) {
            return false;
        }
        long perBlock = (1L << log) / descSize;
        long reserved = b.getShort(0xCE) & 0xffff;
        long oldGdt = ceil(ceil(blocks(b) - first, perGroup), perBlock);
        long newGdt = ceil(ceil((newBytes >> log) - first, perGroup), perBlock);
        return newGdt - oldGdt <= reserved;
    }

    private static long ceil(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }
}
