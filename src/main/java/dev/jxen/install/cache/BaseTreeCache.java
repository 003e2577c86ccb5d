package dev.jxen.install.cache;

import dev.jxen.install.IdentityFiles;
import dev.jxen.system.Command;
import dev.jxen.system.CommandRunner;
import dev.jxen.system.Undo;
import dev.jxen.system.ToolCheck;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Base trees kept as tarballs ({@code KEY.tar.zst}, or {@code .tar.gz} without zstd) beside their
 * manifests ({@code KEY.json}), packed and unpacked with GNU tar so that device nodes, numeric owners
 * and xattrs survive; and beside them, once made, the same tree as a ready ext4 filesystem image
 * ({@code KEY.ext4}, sparse), which a guest's root image is cloned from. Each store packs under a
 * temporary name of its own, is checked, and is published by link(2), which never replaces an entry
 * another run published first: a reader never sees half an entry, and two runs never write one file. One run fills a key at a time ({@link #fillLock}). An
 * entry that turns out broken is moved aside; the least recently used are pruned above the size bound.
 */
public final class BaseTreeCache {
    private static final Pattern FIELD = Pattern.compile("\"([a-z0-9-]+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|\\[([^\\]]*)\\]|([0-9]+))");

    /** A stored entry. */
    public record Entry(String key, Path tarball, long bytes, Instant lastUsed, Map<String, String> manifest, Optional<Path> image) {
    }

    private final Path dir;

    public BaseTreeCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    private static String compression() {
        return ToolCheck.find("zstd").isPresent() ? "zst" : "gz";
    }

    private static List<String> compressArgs(String ext, boolean create) {
        return ext.equals("zst") ? List.of("--use-compress-program=" + (create ? "zstd -T0 -3 -q" : "zstd -d -q")) : List.of("--gzip");
    }

    /** The entry for this manifest, if present and its stored manifest matches exactly. */
    public Optional<Entry> lookup(CacheManifest m) {
        return list().stream().filter(e -> e.key().equals(m.key()))
                .filter(e -> CacheManifest.flatten(m.fields()).equals(e.manifest()))
                .findFirst();
    }

    /** Why no entry matched: the fields that differ from the newest entry of the same dist and arch. */
    public Optional<String> explainMiss(CacheManifest m) {
        return list().stream()
                .filter(e -> m.dist().equals(e.manifest().get("dist")) && m.arch().equals(e.manifest().get("arch")))
                .max(Comparator.comparing(Entry::lastUsed))
                .map(e -> "the cached " + m.dist() + "/" + m.arch() + " tree " + e.key().substring(0, 12)
                        + " differs in " + String.join(", ", m.differences(e.manifest())));
    }

    public Command extractCommand(Entry e, Path root) {
        String name = e.tarball().getFileName().toString();
        List<String> argv = new ArrayList<>(List.of("tar", "--extract", "--numeric-owner", "--xattrs", "--xattrs-include=*", "--acls"));
        argv.addAll(compressArgs(name.endsWith(".zst") ? "zst" : "gz", false));
        argv.addAll(List.of("--file", e.tarball().toString(), "--directory", root.toString()));
        return Command.of(argv).withLabel("tar");
    }

    public void touch(Entry e) {
        try {
            Files.setLastModifiedTime(e.tarball(), FileTime.from(Instant.now()));
        } catch (IOException ex) {
            // only the LRU order suffers
        }
    }

    private static final Pattern STAGING = Pattern.compile("\\.([0-9a-f]{64})\\.(\\d+)-[0-9a-f]+\\.tmp\\.(tar\\.(zst|gz)|json|ext4)");
    private static final Pattern BROKEN = Pattern.compile("\\.([0-9a-f]{64})\\.broken-(\\d+)\\.(tar\\.(zst|gz)|json|ext4)");

    /** Where this run packs a new entry before it is published: a name no other run uses. */
    public Path stagingFile(CacheManifest m) {
        return dir.resolve("." + m.key() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE) + ".tmp.tar." + compression());
    }

    /** Where this run makes the ready image of an entry before it is published. */
    public Path imageStagingFile(CacheManifest m) {
        return dir.resolve("." + m.key() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE) + ".tmp.ext4");
    }

    /**
     * Makes an ext4 image of {@code bytes} holding the tree at {@code root} (mke2fs -d copies owners,
     * modes, times, hard links and xattrs). Block size, inode size and ratio are given, since mke2fs
     * would otherwise take its "small" type (1K blocks) for an image under 512M, which a clone keeps
     * when it is grown.
     */
    public static Command imageCommand(Path root, Path staging, long bytes, List<String> features) {
        List<String> argv = new ArrayList<>(List.of("mke2fs", "-q", "-F", "-t", "ext4", "-b", "4096", "-I", "256", "-i", "16384"));
        argv.addAll(features);
        argv.addAll(List.of("-d", root.toString(), staging.toString(), (bytes >> 10) + "k"));
        return Command.of(argv).withLabel("mke2fs");
    }

    /** Publishes a ready image made for an entry by link(2), unless one is there; the staging file goes either way. */
    public boolean publishImage(Path staging, CacheManifest m) throws IOException {
        boolean mine = linkIfAbsent(dir.resolve(m.key() + ".ext4"), staging);
        Files.deleteIfExists(staging);
        return mine;
    }

    /** The command that checks a tarball's compression end to end (a truncated or torn file fails it). */
    public Command checkCommand(Path tarball) {
        return tarball.toString().endsWith(".zst") ? Command.of("zstd", "-t", "-q", tarball.toString()).withLabel("zstd")
                : Command.of("gzip", "-t", tarball.toString()).withLabel("gzip");
    }

    /**
     * Held while one run installs and stores a key; another run for the same key waits for it, then
     * finds the entry. The kernel drops it when the process dies. The empty file .KEY.lock stays, as
     * lock files do: removing it while another run may have it open would let two runs fill one key.
     */
    public FillLock fillLock(CacheManifest m, Runnable whileWaiting) throws IOException {
        ensureDir();
        Path file = dir.resolve("." + m.key() + ".lock");
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        try {
            if (ch.tryLock() == null) {
                whileWaiting.run();
                ch.lock();
            }
            return new FillLock(file, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** A key's fill lock, held: released as an undo entry, which the kernel releases too when the process ends. */
    public record FillLock(Path file, java.nio.channels.FileChannel channel) implements Undo {
        public String kind() {
            return "release-fill-lock";
        }

        public Map<String, String> args() {
            return Map.of("path", file.toString());
        }

        public String describe() {
            return "release the base-tree cache's fill lock " + file;
        }

        public void run(CommandRunner runner) throws IOException {
            channel.close();
        }

        @Override
        public boolean outlivesTheProcess() {
            return false;
        }
    }

    /** Moves a broken entry aside (.KEY.broken-TIME.*), where prune removes it; lookups no longer see it. */
    public void quarantine(Entry e) throws IOException {
        long now = System.currentTimeMillis() / 1000;
        String ext = e.tarball().getFileName().toString().endsWith(".zst") ? "tar.zst" : "tar.gz";
        Files.move(e.tarball(), dir.resolve("." + e.key() + ".broken-" + now + "." + ext), StandardCopyOption.ATOMIC_MOVE);
        Path json = dir.resolve(e.key() + ".json");
        if (Files.exists(json)) {
            Files.move(json, dir.resolve("." + e.key() + ".broken-" + now + ".json"), StandardCopyOption.ATOMIC_MOVE);
        }
        if (e.image().isPresent() && Files.exists(e.image().get())) {
            Files.move(e.image().get(), dir.resolve("." + e.key() + ".broken-" + now + ".ext4"), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    public Command packCommand(Path root, Path staging) {
        List<String> argv = new ArrayList<>(List.of("tar", "--create", "--numeric-owner", "--xattrs", "--xattrs-include=*", "--acls",
                "--one-file-system", "--sort=name"));
        argv.addAll(compressArgs(staging.toString().endsWith(".zst") ? "zst" : "gz", true));
        for (String ex : IdentityFiles.EXCLUDES) {
            argv.add("--exclude=" + ex);
        }
        argv.addAll(List.of("--file", staging.toString(), "--directory", root.toString(), "."));
        return Command.of(argv).withLabel("tar");
    }

    /**
     * Publishes a packed and checked tarball under its key, manifest last, each by link(2): a name
     * that exists already (another run published first) is left as it is, and this run's copy dropped.
     *
     * @return true if this run's tarball was published
     */
    public boolean publish(Path staging, CacheManifest m) throws IOException {
        String ext = staging.toString().endsWith(".zst") ? "zst" : "gz";
        Path tar = dir.resolve(m.key() + ".tar." + ext);
        Path json = dir.resolve(m.key() + ".json");
        boolean mine = linkIfAbsent(tar, staging);
        Files.deleteIfExists(staging);
        Path jsonTmp = Path.of(staging.toString().replaceAll("\\.tar\\.(zst|gz)$", ".json"));
        Files.writeString(jsonTmp, m.canonicalJson() + "\n");
        linkIfAbsent(json, jsonTmp);
        Files.deleteIfExists(jsonTmp);
        return mine;
    }

    private static boolean linkIfAbsent(Path name, Path existing) throws IOException {
        try {
            Files.createLink(name, existing);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * What prune removes besides old entries: temporary files of runs that are gone (or over a day
     * old), entries moved aside as broken, and tarballs whose manifest never came (over an hour old).
     */
    public List<Path> strays() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                long age = now - Files.getLastModifiedTime(p).toMillis();
                Matcher t = STAGING.matcher(n);
                if (t.matches()) {
                    boolean alive = ProcessHandle.of(Long.parseLong(t.group(2))).isPresent();
                    if (!alive || age > 86_400_000L) {
                        out.add(p);
                    }
                } else if (BROKEN.matcher(n).matches()) {
                    out.add(p);
                } else if (n.matches("[0-9a-f]{64}\\.(tar\\.(zst|gz)|ext4)") && !Files.exists(dir.resolve(n.substring(0, 64) + ".json"))
                        && age > 3_600_000L) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    public void ensureDir() throws IOException {
        Files.createDirectories(dir);
    }

    /** Every complete entry, newest use first. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            for (Path json : s) {
                String name = json.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                String key = name.substring(0, name.length() - 5);
                Path tar = Files.exists(dir.resolve(key + ".tar.zst")) ? dir.resolve(key + ".tar.zst") : dir.resolve(key + ".tar.gz");
                // a FIFO or a device here is no entry of jxen's: reading or testing it would wait forever
                if (!Files.isRegularFile(tar, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(json, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Path image = dir.resolve(key + ".ext4");
                Optional<Path> ready = Files.isRegularFile(image, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Optional.of(image) : Optional.empty();
                long bytes = Files.size(tar) + (ready.isPresent() ? Files.size(image) : 0);
                out.add(new Entry(key, tar, bytes, Files.getLastModifiedTime(tar).toInstant(), parse(dev.jxen.system.BoundedFiles.readString(json, 1 << 20)), ready));
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparing(Entry::lastUsed).reversed());
        return out;
    }

    /** Removes least recently used entries until the total is at most {@code maxBytes}; keeps {@code keepKey}. */
    public List<Entry> prune(long maxBytes, String keepKey) throws IOException {
        List<Entry> entries = list();
        long total = entries.stream().mapToLong(Entry::bytes).sum();
        List<Entry> removed = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0 && total > maxBytes; i--) {
            Entry e = entries.get(i);
            if (e.key().equals(keepKey)) {
                continue;
            }
            remove(e);
            total -= e.bytes();
            removed.add(e);
        }
        return removed;
    }

    public void remove(Entry e) throws IOException {
        Files.deleteIfExists(dir.resolve(e.key() + ".json"));
        Files.deleteIfExists(e.tarball());
        Files.deleteIfExists(dir.resolve(e.key() + ".ext4"));
    }

    static Map<String, String> parse(String json) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = FIELD.matcher(json);
        while (x.find()) {
            String v;
            if (x.group(3) != null) {
                v = x.group(3).replace("\\\"", "\"").replace("\\\\", "\\");
            } else if (x.group(4) != null) {
                v = x.group(4).isBlank() ? "" : String.join(",", java.util.Arrays.stream(x.group(4).split(","))
                        .map(s -> s.strip().replaceAll("^\"|\"$", "")).toList());
            } else {
                v = x.group(5);
            }
            m.put(x.group(1), v);
        }
        return m;
    }
}
