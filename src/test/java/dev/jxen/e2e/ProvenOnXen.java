package dev.jxen.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's table of what is proven on Xen, and the guest lines of a rig run it is checked against:
 * one row per booted guest, with the dom0 (Debian release, Xen version), the guest's release, type,
 * boot path, storage, filesystem, network mode and whether its .cfg was as jxen wrote it.
 */
record ProvenOnXen(String dom0, String guest, String release, String type, String boot, String storage, String fs,
                   String network, String cfg) {
    static final String BEGIN = "<!-- proven-on-xen: begin -->";
    static final String END = "<!-- proven-on-xen: end -->";
    /** A guest line of rig-lib.sh's guest_line. */
    private static final Pattern LINE = Pattern.compile("guest (\\S+): dom0 Debian (\\d+)\\.[0-9.]+, Xen (\\d+\\.\\d+)\\S*, guest (\\S+), (PV|PVH), "
            + "(.+?), storage (.+?), fs (.+?), network (.+?), cfg as written: (.+?), login .*");

    /** The table between the README's markers. */
    static List<ProvenOnXen> readme(Path readme) throws IOException {
        String text = Files.readString(readme);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(readme + " has no table between " + BEGIN + " and " + END);
        }
        List<ProvenOnXen> rows = new ArrayList<>();
        for (String line : text.substring(begin + BEGIN.length(), end).strip().split("\n")) {
            if (!line.startsWith("| Debian")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            if (cells.length != 9) {
                throw new IllegalStateException("a row of the proven-on-Xen table without 9 cells: " + line);
            }
            rows.add(new ProvenOnXen(cells[0].strip(), cells[1].strip(), cells[2].strip(), cells[3].strip(), cells[4].strip(),
                    cells[5].strip(), cells[6].strip(), cells[7].strip(), cells[8].strip()));
        }
        return rows;
    }

    /** The guest lines of a run's result file, as rows. */
    static List<ProvenOnXen> results(List<String> results) {
        List<ProvenOnXen> rows = new ArrayList<>();
        for (String line : results) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                rows.add(new ProvenOnXen("Debian " + m.group(2) + ", Xen " + m.group(3), m.group(1), m.group(4), m.group(5),
                        m.group(6), m.group(7), m.group(8), m.group(9), m.group(10)));
            }
        }
        return rows;
    }

    String row() {
        return "| " + String.join(" | ", dom0, guest, release, type, boot, storage, fs, network, cfg) + " |";
    }
}
