package dev.jxen.storage;

import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many bytes of its disk a filesystem spans, as its own superblock says: what tells a disk that
 * may be cut back to its old size (its filesystem still ends there) from one that may not. Read with
 * each filesystem's own read-only tool; empty when it cannot be read, which is never taken as small.
 */
public final class FilesystemSize {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Pattern EXT_COUNT = Pattern.compile("(?m)^Block count:\\s+([0-9]{1,19})\\s*$");
    private static final Pattern EXT_SIZE = Pattern.compile("(?m)^Block size:\\s+([0-9]{1,9})\\s*$");
    private static final Pattern XFS_BLOCKS = Pattern.compile("(?m)^dblocks = ([0-9]{1,19})\\s*$");
    private static final Pattern XFS_SIZE = Pattern.compile("(?m)^blocksize = ([0-9]{1,9})\\s*$");
    private static final Pattern BTRFS_BYTES = Pattern.compile("(?m)^dev_item\\.total_bytes\\s+([0-9]{1,19})\\s*$");

    private FilesystemSize() {
    }

    /** The command that reads the size of a filesystem of {@code type} on {@code device} (an image file or a block device). */
    public static Command probe(String type, String device, boolean file) {
        Command c = switch (type) {
            case "xfs" -> file ? Command.of("xfs_db", "-r", "-f", "-c", "sb 0", "-c", "p dblocks blocksize", device)
                    : Command.of("xfs_db", "-r", "-c", "sb 0", "-c", "p dblocks blocksize", device);
            case "btrfs" -> Command.of("btrfs", "inspect-internal", "dump-super", device);
            default -> Command.of("dumpe2fs", "-h", device);
        };
        return c.capturing().withTimeout(LIMIT);
    }

    /** The size in bytes, or empty when the tool fails or says something else than a size. */
    public static OptionalLong of(CommandRunner runner, String type, String device, boolean file) {
        CommandResult r = runner.run(probe(type, device, file), l -> { });
        return r.ok() ? parse(type, r.stdout()) : OptionalLong.empty();
    }

    static OptionalLong parse(String type, String out) {
        try {
            return switch (type) {
                case "xfs" -> product(XFS_BLOCKS.matcher(out), XFS_SIZE.matcher(out));
                case "btrfs" -> {
                    Matcher m = BTRFS_BYTES.matcher(out);
                    yield m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
                }
                default -> product(EXT_COUNT.matcher(out), EXT_SIZE.matcher(out));
            };
        } catch (ArithmeticException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong product(Matcher count, Matcher size) {
        if (!count.find() || !size.find()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.multiplyExact(Long.parseLong(count.group(1)), Long.parseLong(size.group(1))));
    }

    /** The filesystems a resize grows. */
    public static final List<String> GROWABLE = List.of("ext2", "ext3", "ext4", "xfs", "btrfs");
}
