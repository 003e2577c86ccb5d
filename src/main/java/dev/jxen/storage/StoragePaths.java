package dev.jxen.storage;

import dev.jxen.config.ImageSpec;

import java.nio.file.Path;

/** xen-tools' layout of image files: {@code DIR/domains/HOST/NAME.img}. */
public final class StoragePaths {
    private StoragePaths() {
    }

    public static Path domainDir(ImageSpec spec) {
        return Path.of(spec.storage().location(), "domains", spec.hostname().fqdn());
    }
}
