package dev.jxen.cli.option;

import picocli.CommandLine.Option;

/** Accounts and the root password. */
public class AccountOptions {
    @Option(names = "--password", paramLabel = "PASSWORD") public String password;
    @Option(names = "--password-from", paramLabel = "FILE|-") public String passwordFrom;
    @Option(names = "--genpass", paramLabel = "0|1") public String genpass;
    @Option(names = {"--genpass_len", "--genpass-len"}, paramLabel = "N") public String genpassLen;
    @Option(names = "--hash_method", paramLabel = "METHOD") public String hashMethod;
    @Option(names = "--passwd") public boolean passwd;
    @Option(names = {"--nopasswd", "--no-passwd"}, hidden = true) public boolean nopasswd;
    @Option(names = "--password-file", paramLabel = "FILE") public String passwordFile;
    @Option(names = "--authorized-keys", paramLabel = "FILE") public String authorizedKeys;
    @Option(names = "--accounts") public boolean accounts;
    @Option(names = {"--noaccounts", "--no-accounts"}, hidden = true) public boolean noaccounts;
    @Option(names = "--admins", paramLabel = "USERS") public String admins;
}
