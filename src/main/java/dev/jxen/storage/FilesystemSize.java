package dev.jxen.storage;

import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How many bytes of its disk a filesystem spans, as its own superblock says: what tells a disk that
 * may be cut back to its old size (its filesystem still ends there) from one that may not. Read from
 * the superblock's bytes, a bounded read with {@code od} (hex, so nothing on the guest's disk reads as
 * text; through the runner, so a volume this machine cannot have is answered in tests), never from a
 * tool's report, where a volume label can be made to read as a field. Empty when it cannot be read or
 * is not that filesystem's superblock, which is never taken as small.
 */
public final class FilesystemSize {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final long XFS_MAGIC = 0x58465342L;                // "XFSB", big-endian at 0
    private static final long BTRFS_MAGIC = 0x4D5F53665248425FL;      // "_BHRfS_M", little-endian at 0x40 of the superblock at 64K

    /** The filesystems a resize grows. */
    public static final List<String> GROWABLE = List.of("ext2", "ext3", "ext4", "xfs", "btrfs");

    private FilesystemSize() {
    }

    /** Where the bytes that say a filesystem's size are, and how many. */
    private record Window(long offset, int length) {
    }

    private static Window window(String type) {
        return switch (type) {
            case "xfs" -> new Window(0, 16);                   // magic, blocksize, dblocks
            case "btrfs" -> new Window(65536, 256);            // magic at 0x40, dev_item.total_bytes at 0xd1
            default -> new Window(Ext4Superblock.AT, Ext4Superblock.LENGTH);
        };
    }

    /** The command that reads the bytes of the superblock of a filesystem of {@code type} on {@code device} (an image file or a block device). */
    public static Command probe(String type, String device) {
        Window w = window(type);
        return Command.of("od", "-An", "-v", "-tx1", "-j", String.valueOf(w.offset()), "-N", String.valueOf(w.length()), "--", device)
                .capturing().withTimeout(LIMIT);
    }

    /** The size in bytes, or empty when the bytes cannot be read or are not that filesystem's superblock. */
    public static OptionalLong of(CommandRunner runner, String type, String device) {
        CommandResult r = runner.run(probe(type, device), l -> { });
        return r.ok() ? parse(type, r.stdout()) : OptionalLong.empty();
    }

    /** The superblock's bytes, as {@link #probe} prints them; empty unless they are exactly as many as it reads. */
    static Optional<byte[]> bytes(String type, String od) {
        int length = window(type).length();
        byte[] out = new byte[length];
        int n = 0;
        for (String token : od.strip().split("\\s+")) {
            if (!token.matches("[0-9a-f]{2}") || n == length) {
                return Optional.empty();
            }
            out[n++] = (byte) Integer.parseInt(token, 16);
        }
        return n == length ? Optional.of(out) : Optional.empty();
    }

    static OptionalLong parse(String type, String od) {
        Optional<byte[]> b = bytes(type, od);
        if (b.isEmpty()) {
            return OptionalLong.empty();
        }
        return switch (type) {
            case "xfs" -> xfs(ByteBuffer.wrap(b.get()).order(ByteOrder.BIG_ENDIAN));
            case "btrfs" -> btrfs(ByteBuffer.wrap(b.get()).order(ByteOrder.LITTLE_ENDIAN));
            default -> Ext4Superblock.span(b.get());
        };
    }

    /** Only for an ext filesystem: whether resize2fs grows it to {@code newBytes} without moving a block ({@link Ext4Superblock#growsInPlace}). */
    public static boolean growsInPlace(CommandRunner runner, String device, long newBytes) {
        CommandResult r = runner.run(probe("ext4", device), l -> { });
        return r.ok() && bytes("ext4", r.stdout()).map(sb -> Ext4Superblock.growsInPlace(sb, newBytes)).orElse(false);
    }

    private static OptionalLong xfs(ByteBuffer b) {
        long blockSize = b.getInt(4) & 0xffffffffL;
        long blocks = b.getLong(8);
        if ((b.getInt(0) & 0xffffffffL) != XFS_MAGIC || blockSize < 512 || blockSize > 65536 || Long.bitCount(blockSize) != 1
                || blocks <= 0 || blocks > Long.MAX_VALUE / blockSize) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(blocks * blockSize);
    }

    private static OptionalLong btrfs(ByteBuffer b) {
        long total = b.getLong(0xd1);
        return b.getLong(0x40) == BTRFS_MAGIC && total > 0 ? OptionalLong.of(total) : OptionalLong.empty();
    }
}
