package dev.jxen.cli.option;

import dev.jxen.config.ConfigSources;
import dev.jxen.config.Distributions;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** Values that shell completion offers, read from the configuration when the completion script is made. */
public final class Candidates {
    private Candidates() {
    }

    /** The releases of distributions.conf. */
    public static final class Dists implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            try {
                return Distributions.read(ConfigSources.forProcess(null).distributionsConfig()).all().stream()
                        .map(Distributions.Distribution::name).sorted().iterator();
            } catch (RuntimeException e) {
                return List.<String>of().iterator();
            }
        }
    }

    /** The profiles in the configuration directory and jxen's own. */
    public static final class Profiles implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            ConfigSources s = ConfigSources.forProcess(null);
            TreeSet<String> names = new TreeSet<>();
            for (Path dir : List.of(s.configDir().resolve("profiles"), s.builtinDir().resolve("profiles"))) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (DirectoryStream<Path> d = Files.newDirectoryStream(dir, "*.conf")) {
                    d.forEach(p -> names.add(p.getFileName().toString().replaceAll("\\.conf$", "")));
                } catch (IOException e) {
                    // nothing to offer from there
                }
            }
            return names.iterator();
        }
    }

    public static final class InstallMethods implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("debootstrap", "mmdebstrap", "tar", "copy").iterator();
        }
    }

    public static final class Filesystems implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("ext4", "ext3", "ext2", "xfs", "btrfs").iterator();
        }
    }

    public static final class BootPaths implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("pvgrub2", "pygrub", "dom0-kernel").iterator();
        }
    }

    public static final class GuestTypes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("pvh", "pv").iterator();
        }
    }

    public static final class NetworkModes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("bridge", "route", "nat").iterator();
        }
    }
}
