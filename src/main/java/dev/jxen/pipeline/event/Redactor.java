package dev.jxen.pipeline.event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces every known secret (passwords, given or generated) by asterisks in anything shown or
 * logged. One of eight characters or more is masked wherever it occurs; a shorter one where it is
 * not part of a longer run of letters and digits (a password "x" leaves the x of "xl create" alone,
 * and is still masked in {@code --password=x} or {@code root:x}).
 */
public final class Redactor {
    public static final String MASK = "********";
    private final Set<Pattern> secrets = new CopyOnWriteArraySet<>();

    public void addSecret(String secret) {
        if (secret != null && !secret.isEmpty()) {
            boolean word = secret.length() < 8;
            String before = word && Character.isLetterOrDigit(secret.charAt(0)) ? "(?<![\\p{Alnum}])" : "";
            String after = word && Character.isLetterOrDigit(secret.charAt(secret.length() - 1)) ? "(?![\\p{Alnum}])" : "";
            secrets.add(Pattern.compile(before + Pattern.quote(secret) + after));
        }
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Pattern s : secrets) {
            out = s.matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
        }
        return out;
    }

    public JxenEvent redact(JxenEvent e) {
        if (secrets.isEmpty()) {
            return e;
        }
        if (e instanceof JxenEvent.StepLog l) {
            return new JxenEvent.StepLog(l.level(), l.stage(), redact(l.text()));
        }
        if (e instanceof JxenEvent.StageFailed f) {
            return new JxenEvent.StageFailed(f.stage(), redact(f.message()), redact(f.hint()));
        }
        if (e instanceof JxenEvent.Summary s) {
            // The summary may carry a generated password on purpose (shown once); only its
            // designated field is exempt, and only on the console listener (see ConsoleListener).
            Map<String, Object> fields = new LinkedHashMap<>();
            s.fields().forEach((k, v) -> fields.put(k, v instanceof String str && !k.equals("generated-password") ? redact(str) : v));
            List<String> lines = new ArrayList<>();
            s.lines().forEach(l -> lines.add(redact(l)));
            return new JxenEvent.Summary(s.success(), fields, lines);
        }
        return e;
    }
}
