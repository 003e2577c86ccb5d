package dev.jxen.customize;

/** What the accounts stage did: the generated root password, if any (shown once, in the summary). */
public record Accounts(String generatedPassword, String how) {
}
