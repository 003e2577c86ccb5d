package dev.jxen.mirror;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a Release file says of itself: which release it is ({@code Suite}, {@code Codename}), when it
 * was made ({@code Date}) and until when it holds ({@code Valid-Until}). A mirror can serve another
 * release's genuinely signed Release, or an old one, under the name asked for; these fields are how
 * jxen tells, as apt does.
 */
public record ReleaseFields(String suite, String codename, Optional<Instant> date, Optional<Instant> validUntil, boolean unreadableValidUntil) {
    /** How far a Release's Date may be ahead of this machine's clock. */
    static final Duration CLOCK_SLACK = Duration.ofMinutes(10);

    /** The fields of the header, before the first checksum list; the signature's own header lines are skipped. */
    public static ReleaseFields parse(String text) {
        String suite = "";
        String codename = "";
        Optional<Instant> date = Optional.empty();
        Optional<Instant> valid = Optional.empty();
        boolean unreadable = false;
        boolean body = !text.startsWith("-----BEGIN PGP SIGNED MESSAGE-----");
        for (String line : text.split("\n")) {
            if (!body) {
                body = line.isBlank();
                continue;
            }
            if (line.startsWith(" ") || line.startsWith("-----BEGIN PGP SIGNATURE")) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "suite" -> suite = value;
                case "codename" -> codename = value;
                case "date" -> date = instant(value);
                case "valid-until" -> {
                    valid = instant(value);
                    unreadable = valid.isEmpty();
                }
                default -> { }
            }
        }
        return new ReleaseFields(suite, codename, date, valid, unreadable);
    }

    static Optional<Instant> instant(String rfc2822) {
        String v = rfc2822.strip().replaceAll("\\s+", " ").replaceAll(" UTC$", " GMT");
        try {
            return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Why this Release is not the one asked for, at {@code now}: another release's, expired, or dated in
     * the future. Empty when it is.
     *
     * @param asked the release asked for: a codename (bookworm) or a suite (stable)
     */
    public List<String> problems(String url, String asked, Instant now) {
        List<String> out = new ArrayList<>();
        if (!asked.equals(codename) && !asked.equals(suite)) {
            out.add(url + " is the Release of " + (codename.isEmpty() ? "no codename" : codename) + " (suite " + (suite.isEmpty() ? "none" : suite)
                    + "), not of " + asked + ": the mirror serves another release's files under that name");
        }
        if (unreadableValidUntil) {
            out.add(url + " has a Valid-Until jxen cannot read, so it cannot tell whether the Release has expired");
        }
        validUntil.filter(v -> v.isBefore(now)).ifPresent(v -> out.add(url + " expired at " + v
                + " (Valid-Until): the mirror serves an old Release, or this machine's clock is wrong"));
        date.filter(d -> d.isAfter(now.plus(CLOCK_SLACK))).ifPresent(d -> out.add(url + " is dated " + d
                + ", in the future: this machine's clock is wrong, or the Release is not what it claims"));
        return out;
    }
}
