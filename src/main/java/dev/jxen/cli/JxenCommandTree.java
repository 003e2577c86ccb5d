package dev.jxen.cli;

import picocli.CommandLine.Command;

/**
 * The root command with all its subcommands, for what reads the whole tree from the annotations: the
 * help of {@code jxen}, the man pages and the shell completion. A run of one subcommand builds only
 * that one (see {@link Main#commandLine(String)}).
 */
@Command(subcommands = {CreateImageCommand.class, ListImagesCommand.class, DeleteImageCommand.class, UpdateImageCommand.class, ResizeImageCommand.class, CacheCommand.class,
    RecoverCommand.class, CreateNfsCommand.class})
public class JxenCommandTree extends JxenCommand {
}
