package dev.jxen.config;

import dev.jxen.error.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where jxen finds its files: the configuration directory ({@code /etc/xen-tools}, or
 * {@code JXEN_CONFIG_DIR} / {@code --config-dir}) and jxen's own installation ({@code jxen.home}: the
 * repository, or {@code /usr/share/jxen}) with the built-in defaults in {@code etc-xen-tools/}.
 */
public record ConfigSources(Path configDir, Path home) {
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** The sources for this process: {@code --config-dir}, else JXEN_CONFIG_DIR, else /etc/xen-tools. */
    public static ConfigSources forProcess(String configDirOption) {
        String dir = configDirOption != null ? configDirOption : System.getenv("JXEN_CONFIG_DIR");
        if (dir != null && !Files.isDirectory(Path.of(dir))) {
            throw new InvalidInputException((configDirOption != null ? "--config-dir " : "JXEN_CONFIG_DIR ") + dir
                    + ": no such directory; jxen does not fall back to its built-in defaults when the configuration it is given is missing");
        }
        Path configDir = Path.of(dir != null && !dir.isBlank() ? dir : "/etc/xen-tools");
        return new ConfigSources(configDir, installedHome());
    }

    /** jxen's installation directory, from the launcher's {@code -Djxen.home}. */
    public static Path installedHome() {
        String h = System.getProperty("jxen.home");
        if (h != null) {
            return Path.of(h);
        }
        return Files.isDirectory(Path.of("/usr/share/jxen")) ? Path.of("/usr/share/jxen") : Path.of(".").toAbsolutePath().normalize();
    }

    public Path builtinDir() {
        return home.resolve("etc-xen-tools");
    }

    /** The global config file: the configuration directory's, or the built-in one when it has none. */
    public Path globalConfig() {
        Path p = configDir.resolve("xen-tools.conf");
        return Files.exists(p) ? p : builtinDir().resolve("xen-tools.conf");
    }

    public Path distributionsConfig() {
        return firstExisting("distributions.conf");
    }

    /** {@code profiles/NAME.conf}, from the configuration directory or the built-in profiles. */
    public Path profile(String name) {
        if (!PROFILE.matcher(name).matches()) {
            throw new InvalidInputException("--profile " + name + ": a profile name holds letters, digits, '_', '.', '-' only");
        }
        Path p = firstExisting("profiles/" + name + ".conf");
        if (!Files.isRegularFile(p)) {
            throw new InvalidInputException("--profile " + name + ": no such profile; looked for "
                    + configDir.resolve("profiles/" + name + ".conf") + " and " + builtinDir().resolve("profiles/" + name + ".conf"));
        }
        return p;
    }

    /** A partitions file given by path, or by name in partitions.d. */
    public Optional<Path> partitions(String nameOrPath) {
        if (nameOrPath.contains("/")) {
            Path p = Path.of(nameOrPath);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
        if (!PROFILE.matcher(nameOrPath).matches()) {
            return Optional.empty();
        }
        Path p = firstExisting("partitions.d/" + nameOrPath);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Directories searched for hooks, lowest precedence first: jxen's shipped hooks, then local overrides. */
    public List<Path> hookDirs() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(home.resolve("hooks"));
        dirs.add(configDir.resolve("hooks.d"));
        return dirs;
    }

    /** The shell functions hooks and roles source to change the guest from inside it. */
    public Path hookLib() {
        return home.resolve("hooks/lib/in-guest.sh");
    }

    /** The script that runs a command against a guest in namespaces of its own. */
    public Path sandboxScript() {
        return home.resolve("libexec/jxen-sandbox");
    }

    /** The script that runs bubblewrap for an untrusted guest's code, in a network namespace of its own. */
    public Path jailScript() {
        return home.resolve("libexec/jxen-jail");
    }

    /** mmdebstrap hooks that download the packages of its second step while it installs the first. */
    public Path mmdebstrapPrefetch() {
        return home.resolve("libexec/jxen-mmdebstrap-prefetch");
    }

    /**
     * A --template as given: an absolute path, or a relative one looked for where xen-tools looks,
     * the working directory and then the configuration directory; absolute and normalized.
     */
    public Path templateFile(String given) {
        Path p = Path.of(given);
        if (!p.isAbsolute() && !Files.exists(p)) {
            p = configDir.resolve(given);
        }
        return p.toAbsolutePath().normalize();
    }

    /** Fills an xen-tools Text::Template file with Perl's Text::Template. */
    public Path textTemplateHelper() {
        return home.resolve("libexec/jxen-text-template");
    }

    /** Template directories, highest precedence first. */
    public List<Path> templateDirs() {
        return List.of(configDir.resolve("templates"), home.resolve("templates"));
    }

    private Path firstExisting(String relative) {
        Path p = configDir.resolve(relative);
        return Files.exists(p) ? p : builtinDir().resolve(relative);
    }
}
