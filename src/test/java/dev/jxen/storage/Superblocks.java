package dev.jxen.storage;

import dev.jxen.system.CommandResult;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Superblocks as {@code od} prints them, for a recording runner that stands in for a volume this machine cannot have. */
public final class Superblocks {
    private Superblocks() {
    }

    /** An ext4 superblock of a filesystem of {@code bytes}, 4K blocks, 1024 descriptor blocks reserved for growth. */
    public static byte[] ext4(long bytes) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04, (int) (bytes / 4096));
        b.putInt(0x18, 2);
        b.putInt(0x20, 32768);
        b.putShort(0x38, (short) 0xEF53);
        b.putInt(0x5C, 0x10);
        b.putShort(0xCE, (short) 1024);
        return b.array();
    }

    /** An xfs superblock's first 16 bytes. */
    public static byte[] xfs(long bytes) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0, 0x58465342).putInt(4, 4096).putLong(8, bytes / 4096);
        return b.array();
    }

    /** The od text of {@code bytes}, 16 to a line as od prints them. */
    public static String od(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            s.append(' ').append(String.format("%02x", bytes[i] & 0xff));
            if (i % 16 == 15) {
                s.append('\n');
            }
        }
        return s.toString();
    }

    /** What od answers for an ext4 superblock of a filesystem of {@code fsBytes}. */
    public static CommandResult ext4Answer(long fsBytes) {
        return new CommandResult(0, od(ext4(fsBytes)), List.of());
    }
}
