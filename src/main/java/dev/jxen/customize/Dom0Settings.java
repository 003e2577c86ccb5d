package dev.jxen.customize;

import dev.jxen.system.BoundedFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dom0's time zone and locales, which xen-tools' hooks give every guest (60-copy-host-files,
 * 95-configure-locales), read from the dom0's {@code /etc}.
 *
 * @param zone       the zone's name, such as {@code Europe/Berlin} (the target of the dom0's localtime link
 *                   under a zoneinfo directory, else its /etc/timezone), or empty when neither names one
 * @param localtime  the dom0's /etc/localtime, to copy where the guest has no file of that zone; empty if none
 * @param localeGen  the dom0's /etc/locale.gen, or empty
 * @param locales    the locales it enables ({@code en_US.UTF-8 UTF-8}), in its order
 * @param lang       the LANG a guest gets: the dom0's, where the guest generates it (or it is built in), else C.UTF-8
 */
public record Dom0Settings(Optional<String> zone, Optional<Path> localtime, Optional<String> localeGen, List<String> locales, String lang) {
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+){0,3}");
    private static final Pattern LOCALE_LINE = Pattern.compile("([A-Za-z0-9_.@-]{1,64}) ([A-Za-z0-9_-]{1,32})");
    private static final Pattern LANG_LINE = Pattern.compile("\\s*LANG=([\"']?)([A-Za-z0-9_.@-]{1,64})\\1\\s*");
    /** The locales glibc has without locale-gen. */
    private static final List<String> BUILT_IN = List.of("C", "C.UTF-8", "C.utf8", "POSIX");
    static final String DEFAULT_LANG = "C.UTF-8";

    public Dom0Settings {
        locales = List.copyOf(locales);
    }

    /** What the dom0 whose /etc is {@code etc} sets; files it lacks are left out, a malformed line is skipped. */
    public static Dom0Settings read(Path etc) throws IOException {
        Path localtime = etc.resolve("localtime");
        Optional<String> zone = zoneOfLink(localtime).or(() -> firstLine(etc.resolve("timezone")).filter(z -> ZONE.matcher(z).matches()));
        Optional<Path> zoneFile = Files.isRegularFile(localtime) ? Optional.of(localtime) : Optional.empty();
        Optional<String> localeGen = Files.isRegularFile(etc.resolve("locale.gen"))
                ? Optional.of(BoundedFiles.readString(etc.resolve("locale.gen"), BoundedFiles.CONFIG)) : Optional.empty();
        List<String> locales = new ArrayList<>();
        localeGen.ifPresent(text -> text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .filter(l -> LOCALE_LINE.matcher(l.replaceAll("\\s+", " ")).matches()).forEach(l -> locales.add(l.replaceAll("\\s+", " "))));
        String lang = DEFAULT_LANG;
        Path defaultLocale = etc.resolve("default/locale");
        if (Files.isRegularFile(defaultLocale)) {
            for (String line : BoundedFiles.readLines(defaultLocale, BoundedFiles.CONFIG)) {
                Matcher m = LANG_LINE.matcher(line);
                if (m.matches() && (BUILT_IN.contains(m.group(2)) || generates(locales, m.group(2)))) {
                    lang = m.group(2);
                }
            }
        }
        return new Dom0Settings(zone, zoneFile, localeGen, locales, lang);
    }

    private static boolean generates(List<String> locales, String name) {
        return locales.stream().anyMatch(l -> l.substring(0, l.indexOf(' ')).equals(name));
    }

    /** The zone a localtime link names: what follows {@code zoneinfo/} in its target ({@code ../usr/share/zoneinfo/Europe/Berlin}). */
    private static Optional<String> zoneOfLink(Path localtime) throws IOException {
        if (!Files.isSymbolicLink(localtime)) {
            return Optional.empty();
        }
        String target = Files.readSymbolicLink(localtime).toString();
        int at = target.lastIndexOf("zoneinfo/");
        if (at < 0) {
            return Optional.empty();
        }
        String zone = target.substring(at + "zoneinfo/".length());
        return ZONE.matcher(zone).matches() ? Optional.of(zone) : Optional.empty();
    }

    private static Optional<String> firstLine(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return BoundedFiles.readLines(file, 4096).stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The locales' names ({@code en_US.UTF-8}), for messages. */
    public List<String> localeNames() {
        return locales.stream().map(l -> l.substring(0, l.indexOf(' '))).toList();
    }
}
