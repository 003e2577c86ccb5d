package dev.jxen.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.InputStream;
import java.util.Properties;

/** The version from the build. */
public final class Version implements IVersionProvider {
    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("/jxen-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"jxen " + get() + " (xen-tools 4.9.2 compatible)"};
    }
}
