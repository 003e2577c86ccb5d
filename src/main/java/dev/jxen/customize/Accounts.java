package dev.jxen.customize;

/**
 * What the accounts stage did: the generated root password, if any (shown once, in the summary).
 *
 * @param crypt the password's crypt(3) hash, for the Debian Installer's preseed; null when root stays locked
 */
public record Accounts(String generatedPassword, String how, String crypt) {
}
