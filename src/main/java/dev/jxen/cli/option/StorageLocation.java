package dev.jxen.cli.option;

import dev.jxen.config.CommandLineLayer;
import dev.jxen.config.ConfigLayers;
import dev.jxen.config.StorageTarget;
import dev.jxen.error.InvalidInputException;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Optional;

/**
 * Where the storage of a guest without a .cfg is (delete, update), as xen-delete-image and
 * xen-update-image take it: --dir, --lvm or --zpool, else the storage target of the configuration,
 * by the rule create follows ({@link StorageTarget}). A guest with a .cfg is found by its .cfg, which
 * names its disks exactly.
 */
public class StorageLocation {
    // help from the settings catalog (SettingsHelp)
    @Option(names = "--dir", paramLabel = "DIR")
    String dir;
    @Option(names = "--lvm", paramLabel = "VG")
    String lvm;
    @Option(names = "--zpool", paramLabel = "POOL")
    String zpool;
    @Option(names = "--evms", paramLabel = "CONTAINER")
    String evms;

    /** Adds the storage options given to a command line layer: they take their place among the configuration's layers. */
    public CommandLineLayer addTo(CommandLineLayer cli) {
        for (String[] o : new String[][] {{"dir", dir}, {"lvm", lvm}, {"zpool", zpool}, {"evms", evms}}) {
            if (o[1] != null) {
                cli.add(o[0], List.of(o[1]));
            }
        }
        return cli;
    }

    /**
     * The target the layers name, by create's rule (the latest layer that names one decides, and names
     * exactly one); empty when none does.
     */
    public Optional<StorageTarget> location(ConfigLayers layers) {
        return StorageTarget.of(layers);
    }

    /**
     * As {@link #location(ConfigLayers)} for a guest whose .cfg names its disks, which needs no target:
     * a target the configuration files name wrongly is then passed over (one typed on the command line
     * is still checked).
     */
    public Optional<StorageTarget> locationBeside(ConfigLayers layers) {
        try {
            return location(layers);
        } catch (InvalidInputException e) {
            if (dir != null || lvm != null || zpool != null || evms != null) {
                throw e;
            }
            return Optional.empty();
        }
    }
}
