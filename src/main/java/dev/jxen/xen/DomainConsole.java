package dev.jxen.xen;

import dev.jxen.system.Command;
import dev.jxen.system.CommandResult;
import dev.jxen.system.CommandRunner;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running domain's console, read as {@code xl console} reads it: the pty xenconsoled made for it
 * (named in xenstore), opened for reading only. What the guest writes comes back as text lines,
 * its terminal control sequences taken out; nothing is ever written to the guest.
 */
public final class DomainConsole implements AutoCloseable {
    private static final Pattern PTY = Pattern.compile("/dev/pts/[0-9]+");
    /** A cursor position (newt draws a dialog line by line with these): a line break in the text. */
    private static final Pattern CURSOR_TO = Pattern.compile("\u001B\\[[0-9;]*[Hf]");
    private static final Pattern CONTROL = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[()][0-9A-Za-z]|\u001B[=>78cM]|[\\x00-\\x09\\x0b\\x0c\\x0e-\\x1f\\x7f]");
    /** The switch to the line-drawing character set (newt's boxes: {@code lqqk}, {@code x}) and back. */
    private static final Pattern CHARSET = Pattern.compile("\u001B\\(([0B])");
    private static final Pattern BOX = Pattern.compile("(\u001B\\[[0-9;?]*[ -/]*[@-~])|[jklmnqtuvwx]");
    private static final Object EOF = new Object();

    private final InputStream in;
    private final LinkedBlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    private final StringBuilder raw = new StringBuilder();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean ended;
    private boolean lineDrawing;

    private DomainConsole(InputStream in) {
        this.in = in;
        Thread reader = new Thread(this::read, "console");
        reader.setDaemon(true);
        reader.start();
    }

    /** The console of domain {@code domid}, once xenconsoled has made its pty (it may take a moment after xl create). */
    public static DomainConsole open(CommandRunner runner, String domid) throws IOException {
        String key = "/local/domain/" + domid + "/console/tty";
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String last = "";
        while (System.nanoTime() < until) {
            CommandResult r = runner.run(Command.of("xenstore-read", key).capturing().withTimeout(Duration.ofSeconds(10)), l -> { });
            String tty = r.stdout().strip();
            if (r.ok() && PTY.matcher(tty).matches()) {
                return new DomainConsole(new FileInputStream(tty));
            }
            last = r.ok() ? "'" + tty + "', not a pty" : String.join(" / ", r.tail());
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the console of domain " + domid);
            }
        }
        throw new IOException("xenstore names no console pty for domain " + domid + " (" + key + ": " + last + ")");
    }

    /** A console read from any stream (for tests: what a guest would write). */
    static DomainConsole reading(InputStream in) {
        return new DomainConsole(in);
    }

    private void read() {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                chunks.add(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the domain is gone: xenconsoled closed its side of the pty
        }
        chunks.add(EOF);
    }

    /**
     * The complete lines the guest wrote since the last call, waiting up to {@code wait} for the
     * first; empty when nothing came.
     */
    public List<String> lines(Duration wait) throws InterruptedException {
        Object first = chunks.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        List<Object> got = new ArrayList<>();
        if (first != null) {
            got.add(first);
            chunks.drainTo(got);
        }
        List<String> out = new ArrayList<>();
        for (Object c : got) {
            if (c == EOF) {
                ended = true;
            } else {
                raw.append((String) c);
            }
        }
        // a control sequence split between two reads waits for its end
        int esc = raw.lastIndexOf("\u001B");
        int cut = !ended && esc >= 0 && raw.length() - esc < 16 ? esc : raw.length();
        partial.append(clean(raw.substring(0, cut)));
        raw.delete(0, cut);
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            String line = partial.substring(0, nl).strip().replaceAll("\\s{2,}", " ");
            partial.delete(0, nl + 1);
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        if (ended && !partial.isEmpty()) {
            out.add(partial.toString().strip());
            partial.setLength(0);
        }
        return out;
    }

    /** True once the pty has closed: the domain is gone. */
    public boolean ended() {
        return ended;
    }

    /**
     * The text of console output: line drawing blanked, control sequences out, each cursor jump and
     * carriage return a line break. The character set in use carries over from one call to the next.
     */
    String clean(String raw) {
        StringBuilder text = new StringBuilder();
        Matcher m = CHARSET.matcher(raw);
        int at = 0;
        while (m.find()) {
            text.append(blankBoxes(raw.substring(at, m.start())));
            lineDrawing = m.group(1).equals("0");
            at = m.end();
        }
        text.append(blankBoxes(raw.substring(at)));
        String s = CURSOR_TO.matcher(text).replaceAll("\n");
        s = s.replace("\r\n", "\n").replace('\r', '\n');
        return CONTROL.matcher(s).replaceAll("");
    }

    private String blankBoxes(String segment) {
        return lineDrawing ? BOX.matcher(segment).replaceAll(r -> r.group(1) != null ? Matcher.quoteReplacement(r.group(1)) : " ") : segment;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
