package dev.jxen.cli.option;

import picocli.CommandLine.Option;

/** Accounts and the root password. */
public class AccountOptions {
    @Option(names = "--password", paramLabel = "PASSWORD", description = "Root password. Every local user can read it in ps while jxen runs: prefer --password-from, --passwd or --genpass.") public String password;
    @Option(names = "--password-from", paramLabel = "FILE|-", description = "Read the root password from the first line of FILE (not readable by others), or from standard input with '-'.") public String passwordFrom;
    @Option(names = "--genpass", paramLabel = "0|1", description = "Generate a root password and show it once (default 1).") public String genpass;
    @Option(names = {"--genpass_len", "--genpass-len"}, paramLabel = "N", description = "Length of a generated password (default 20).") public String genpassLen;
    @Option(names = "--hash_method", paramLabel = "METHOD", description = "Password hash: sha512 (default) or sha256.") public String hashMethod;
    @Option(names = "--passwd", description = "Ask for the root password on the terminal.") public boolean passwd;
    @Option(names = {"--nopasswd", "--no-passwd"}, hidden = true) public boolean nopasswd;
    @Option(names = "--password-file", paramLabel = "FILE", description = "Write a generated root password to FILE (mode 0600) instead of showing it.") public String passwordFile;
    @Option(names = "--authorized-keys", paramLabel = "FILE", description = "Public keys (one per line) allowed to log in as root over SSH.") public String authorizedKeys;
    @Option(names = "--accounts", description = "Copy the dom0's ordinary users (uid 1000-59999) into the guest.") public boolean accounts;
    @Option(names = {"--noaccounts", "--no-accounts"}, hidden = true) public boolean noaccounts;
    @Option(names = "--admins", paramLabel = "USERS", description = "Refused: xen-shell administrators (xen-shell is no longer packaged).") public String admins;
}
