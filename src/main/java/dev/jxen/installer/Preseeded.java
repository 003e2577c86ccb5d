package dev.jxen.installer;

import java.nio.file.Path;

/**
 * The files the installer's domain starts from, in a private directory removed after the run.
 *
 * @param initrd     a copy of the installer's initrd with the preseed appended
 * @param installCfg the install-time .cfg
 */
public record Preseeded(Path dir, Path initrd, Path installCfg) {
}
