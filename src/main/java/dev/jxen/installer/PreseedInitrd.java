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
        Files.copy(initrd, out);
        byte[] bytes = preseed.getBytes(StandardCharsets.UTF_8);
        try (OutputStream file = Files.newOutputStream(out, StandardOpenOption.APPEND);
             GZIPOutputStream gz = new GZIPOutputStream(file);
             CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(gz, CpioConstants.FORMAT_NEW)) {
            CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, "preseed.cfg", bytes.length);
            entry.setMode(CpioConstants.C_ISREG | 0644);
            entry.setNumberOfLinks(1);
            entry.setTime(0);
            cpio.putArchiveEntry(entry);
            cpio.write(bytes);
            cpio.closeArchiveEntry();
            cpio.finish();
        }
    }
}
