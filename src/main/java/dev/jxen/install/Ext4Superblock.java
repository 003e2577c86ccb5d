package dev.jxen.install;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * What an ext4 image's superblock says of its size: an image shorter or longer than its filesystem
 * (a copy cut short, a file that is not one) is not cloned.
 */
final class Ext4Superblock {
    private static final int AT = 1024;
    private static final int MAGIC = 0xEF53;
    private static final int INCOMPAT_64BIT = 0x80;

    private Ext4Superblock() {
    }

    /** Why the file is not a whole ext4 image, or empty when it is. */
    static Optional<String> mismatch(Path image) throws IOException {
        ByteBuffer sb = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            while (sb.hasRemaining() && ch.read(sb, AT + sb.position()) > 0) {
                // reads the whole superblock
            }
        }
        if (sb.hasRemaining() || (sb.getShort(0x38) & 0xffff) != MAGIC) {
            return Optional.of("no ext4 superblock");
        }
        long blocks = sb.getInt(0x04) & 0xffffffffL;
        if ((sb.getInt(0x60) & INCOMPAT_64BIT) != 0) {
            blocks |= (sb.getInt(0x150) & 0xffffffffL) << 32;
        }
        int log = sb.getInt(0x18);
        if (log < 0 || log > 6) {
            return Optional.of("block size 2^" + (10 + log) + " is not one of ext4's");
        }
        long want = blocks << (10 + log);
        long size = Files.size(image);
        return size == want ? Optional.empty() : Optional.of("the file has " + size + " bytes, its filesystem " + want);
    }
}
