package dev.jxen.installer;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * A copy of the installer's initrd with {@code preseed.cfg} appended as a gzip'd newc cpio archive.
 * The kernel unpacks concatenated archives in order, so the installer finds the file at {@code /}
 * and reads it without asking; the initrd itself is never unpacked.
 */
public final class PreseedInitrd {
    private PreseedInitrd() {
    }

    public static void write(Path initrd, String preseed, Path out) throws IOException {
        write(initrd, preseed, Map.of(), out);
    }

    /**
     * @param files more files for the installer's late command, under {@code /jxen/} (root's
     *              authorized keys), readable by root only
     */
    public static void write(Path initrd, String preseed, Map<String, byte[]> files, Path out) throws IOException {
        Files.copy(initrd, out);
        try (OutputStream file = Files.newOutputStream(out, StandardOpenOption.APPEND);
             GZIPOutputStream gz = new GZIPOutputStream(file);
             CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(gz, CpioConstants.FORMAT_NEW)) {
            add(cpio, "preseed.cfg", CpioConstants.C_ISREG | 0644, preseed.getBytes(StandardCharsets.UTF_8));
            if (!files.isEmpty()) {
                add(cpio, "jxen", CpioConstants.C_ISDIR | 0700, new byte[0]);
                for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
                    if (!f.getKey().matches("[a-z0-9_.-]+")) {
                        throw new IllegalArgumentException("not a plain file name: " + f.getKey());
                    }
                    add(cpio, "jxen/" + f.getKey(), CpioConstants.C_ISREG | 0600, f.getValue());
                }
            }
            cpio.finish();
        }
    }

    private static void add(CpioArchiveOutputStream cpio, String name, int mode, byte[] bytes) throws IOException {
        CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, bytes.length);
        entry.setMode(mode);
        entry.setNumberOfLinks((mode & CpioConstants.C_ISDIR) != 0 ? 2 : 1);
        entry.setTime(0);
        cpio.putArchiveEntry(entry);
        cpio.write(bytes);
        cpio.closeArchiveEntry();
    }
}
