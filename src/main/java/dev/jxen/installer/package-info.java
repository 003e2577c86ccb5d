/**
 * The Debian Installer route: the installer's kernel and initrd fetched from the guest's mirror and
 * verified along Debian's chain (InRelease signed with the archive key, then hashes), and the preseed
 * appended to a copy of the initrd.
 */
package dev.jxen.installer;
