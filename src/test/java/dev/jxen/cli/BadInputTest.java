package dev.jxen.cli;

import dev.jxen.error.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every class of bad input is refused with exit status 2, a message naming the option and the
 * value, and nothing touched: neither the storage directory nor the .cfg directory is created.
 * The table holds the hostile ones too (issue 24's inputs among them): addresses that reach the dom0,
 * URLs with credentials or encoded control characters, @FILE words, injected shell, devices and
 * FIFOs where files belong, paths with line breaks. NEWLINE and SPACE in a row stand for those
 * characters, which a row cannot hold.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    private InProcess.Result create(String caseArgs) throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        List<String> args = new ArrayList<>(List.of("--dist=bookworm", "--mirror=http://mirror.example/debian",
                "--output=" + tmp.resolve("out"), "--log=" + tmp.resolve("log/x.log"), "--base-cache-dir=" + tmp.resolve("cache")));
        if (!caseArgs.contains("--hostname")) {
            args.add("--hostname=h1");
        }
        if (!caseArgs.contains("NODIR")) {
            args.add("--dir=" + tmp.resolve("store"));
        }
        for (String a : caseArgs.split(" ")) {
            if (a.equals("NODIR") || a.isEmpty()) {
                continue;
            }
            if (a.equals("BADPART")) {
                Path f = tmp.resolve("badpart");
                Files.writeString(f, "[root]\nsize=1G\ntype=ntfs\nmountpoint=/\n[swap]\nsize=zero\ntype=swap\n");
                a = "--partitions=" + f;
            }
            args.add(a.replace("LONGLABEL", "a".repeat(64)).replace("LONGNAME", ("a".repeat(50) + ".").repeat(5) + "abcd")
                    .replace("NEWLINE", "\n").replace("SPACE", " "));
        }
        return InProcess.create(config, args.toArray(new String[0]));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "--hostname=../etc                                 | has an empty label",
        "--hostname=a/b                                    | not a valid host name",
        "--hostname=-web                                   | not a valid host name",
        "--hostname=LONGLABEL                              | labels have at most 63",
        "--hostname=LONGNAME                               | a host name has at most 253",
        "--hostname=                                       | --hostname is required",
        "--ip=300.1.1.1                                    | '300.1.1.1' is not an IPv4 or IPv6 address",
        "--ip=2001:db8::zz                                 | not an IPv4 or IPv6 address",
        "--ip=192.0.2.10/33                                | prefix length is at most 32",
        "--ip=192.0.2.10 --ip=192.0.2.10                   | is given twice",
        "--ip=192.0.2.10 --netmask=255.0.255.0             | not contiguous",
        "--ip=192.0.2.10 --netmask=abc                     | --netmask=abc",
        "--ip=192.0.2.10 --netmask=255.255.255.0 --gateway=10.0.0.1 | is not in the guest's network 192.0.2.10/24",
        "--ip=192.0.2.10 --gateway=1.2.3.999               | --gateway=1.2.3.999",
        "--broadcast=2001:db8::1                           | a broadcast address is IPv4",
        "--nameserver=8.8.8.8,nope                         | 'nope' is not an IPv4 or IPv6 address",
        "--dhcp --ip=192.0.2.10                            | choose DHCP or static addresses, not both",
        "--mac=00:16:3E:12:34                              | is not a MAC address",
        "--mac=01:16:3E:12:34:56                           | is a multicast address",
        "--vlan=5000                                       | VLAN id from 1 to 4094",
        "--bridge=this-name-is-too-long                    | interface name of 1 to 15",
        "--size=0G                                         | is zero",
        "--size=0                                          | has no unit",
        "--size=-1G                                        | is not a size",
        "--size=4X                                         | is not a size",
        "--size=4                                          | has no unit",
        "--size=99999T                                     | larger than the 16T",
        "--swap=abc                                        | --swap=abc",
        "--memory=16M                                      | at least 32M",
        "--memory=lots                                     | --memory=lots",
        "--maxmem=128M                                     | is less than memory",
        "--vcpus=0                                         | must be from 1 to 512",
        "--vcpus=two                                       | whole number",
        "--fs=reiserfs                                     | reiserfs was removed",
        "--fs=ntfs                                         | unknown filesystem",
        "--fs=btrfs --pygrub                               | pygrub cannot boot a guest whose / is btrfs",
        "--fs=xfs --boot-path=pygrub                       | pygrub cannot boot a guest whose / is xfs",
        "--image=thin                                      | must be 'sparse' or 'full'",
        "--lvm=vg0                                         | give exactly one storage target",
        "NODIR                                             | no storage target",
        "NODIR --lvm=-vg                                   | not a volume group name",
        "NODIR --evms=lvm2/c                               | EVMS is not supported",
        "NODIR --dir=relative/path                         | must be an absolute path",
        "--lvm_thin=pool                                   | a thin pool needs --lvm",
        "NODIR --image-dev=/etc/passwd                     | must be a device path under /dev",
        "NODIR --image-dev=/dev/jxen-no-such-device        | no such device",
        "--swap-dev=/dev/null                              | --swap-dev goes with --image-dev",
        "--dist=nosuchdist                                 | unknown distribution",
        "--install-method=rinse                            | not supported by jxen",
        "--install-method=febootstrap                      | unknown method; use debootstrap, mmdebstrap, tar, copy or installer",
        "--install-method=Tar --install-source=/tmp        | unknown method",
        "--install-method=tar                              | needs --install-source",
        "--install-method=copy --install-source=/nonexistent | no such directory",
        "--install-source=/tmp                             | only for --install-method tar or copy",
        "--install-method=installer --role=udev            | jxen does not open the disk the installer partitioned",
        "--install-method=installer --accounts             | jxen does not open the disk the installer partitioned",
        "--install-method=installer --kernel=/boot/vmlinuz | a dom0 kernel (--kernel) cannot boot it",
        "--install-method=installer --dist=jammy           | jammy is not Debian",
        "--install-method=installer --mirror=file:///srv/m | fetches its packages over http or https",
        "--install-method=installer NODIR --image-dev=/dev/null | the installer repartitions the whole disk",
        "--mirror=notaurl                                  | must be a URL",
        "--mirror=gopher://x/debian                        | must be a URL",
        "--apt_proxy=ftp://proxy                           | --apt_proxy=ftp://proxy",
        "--keyring=/nonexistent.gpg                        | no such keyring",
        "--cache=maybe                                     | must be 'yes' or 'no'",
        "--kernel=/nonexistent/vmlinuz                     | no such file",
        "--boot-path=grub                                  | not a boot path; use pvgrub2, pygrub or dom0-kernel",
        "--type=hvm                                        | use pv or pvh",
        "--pygrub --boot-path=pvgrub2                      | choose one way to boot the guest",
        "--serial_device=ttyS                              | must be a serial device",
        "--disk_device=vda                                 | disk device name",
        "--extension=../x                                  | may hold only",
        "--output=relative                                 | must be an absolute path",
        "--hash_method=md5                                 | md5-crypt",
        "--hash_method=bcrypt                              | must be sha512 (the default) or sha256",
        "--genpass_len=3                                   | from 8 to 128",
        "--admins=root;x                                   | is not a user name",
        "--admins=alice                                    | xen-shell, which Debian no longer ships",
        "--role=../../x                                    | is not a role name",
        "--hooks=maybe                                     | must be 1 or 0",
        "--partitions=nosuchlayout                         | no such layout",
        "BADPART                                           | badpart:3: type of [root] is 'ntfs'",
        "--template=/nonexistent/xm.tmpl                   | no such template file",
        "--profile=nosuch                                  | no such profile",
        "--config=/nonexistent.conf                        | no such file",
        "--authorized-keys=/etc/hostname                   | is not an SSH public key",
        "--authorized-keys=/nonexistent.pub                | cannot be read",
        "--password-file=relative/pw                       | must be an absolute path",
        "--network-mode=tunnel                             | must be bridge, route or nat",
        "--network-config=netplan                          | must be ifupdown or networkd",
        "--vlan=12                                         | a VLAN needs --bridge",
        "--size=1k                                         | --size=1k: below the 8M that an ext4 filesystem needs",
        "--fs=xfs --size=200M                              | --size=200M: below the 300M that an xfs filesystem needs",
        "--swap=100k                                       | --swap=100k: below the 1M that swap needs",
        "--ip=127.0.0.2                                    | 127.0.0.2 is a loopback address, not an address a guest can have",
        "--ip=0.0.0.0                                      | is the unspecified address",
        "--ip=224.0.0.5                                    | is a multicast address",
        "--ip=169.254.1.1                                  | is a link-local address",
        "--ip=255.255.255.255                              | is the broadcast address",
        "--ip=::1                                          | ::1 is a loopback address",
        "--ip=fe80::1                                      | is a link-local address",
        "--ip=ff02::1                                      | is a multicast address",
        "--ip=::                                           | is the unspecified address",
        "--ip=2001:db8::1/129                              | an IPv6 prefix length is at most 128",
        "--ip=192.0.2.10 --gateway=192.0.2.10              | is the guest's own address",
        "--ip=192.0.2.10 --netmask=255.255.255.255 --gateway=192.0.2.1 | is not in the guest's network 192.0.2.10/32",
        "--gateway=224.0.0.1 --ip=192.0.2.10               | is not in the guest's network",
        "--ip=192.0.2.10/24 --broadcast=192.0.2.300        | '192.0.2.300' is not an IPv4 or IPv6 address",
        "--nameserver=0.0.0.0                              | is the unspecified address, where no name server answers",
        "--nameserver=224.0.0.1                            | is a multicast address, where no name server answers",
        "--mirror=http://user:pw@mirror.example/debian     | holds a user name or password",
        "--apt_proxy=http://u:p@proxy.example:3142         | holds a user name or password",
        "--mirror=http://mirror.example/deb%0Aian          | holds a backslash or a control character, plainly or %-encoded",
        "--mirror=http://mirror.example/deb%00ian          | holds a backslash or a control character, plainly or %-encoded",
        "--mirror=http://mirror.example/deb%09ian          | holds a backslash or a control character, plainly or %-encoded",
        "--mirror=http://mirror.example/deb%5Cian          | holds a backslash or a control character, plainly or %-encoded",
        "--mirror=http://mirror.example/deb%7fian          | holds a backslash or a control character, plainly or %-encoded",
        "--apt_proxy=http://proxy.example:3142/%0a         | holds a backslash or a control character",
        "--mirror=http://mirror.example/deb\\ian           | Illegal character in path",
        "--mirror=http://mirror.example/debNEWLINEian      | is not a URL",
        "--mirror=http:///debian                           | must be a URL with a host",
        "--mirror=javascript:alert(1)                      | must be a URL with a host",
        "@/etc/passwd                                      | Unmatched argument at index",
        "--password=x @/etc/shadow                         | Unmatched argument at index",
        "--hostname=@/etc/passwd                           | '@/etc/passwd' is not a valid host name",
        "--hostname=192.0.2.1                              | ends in a label of digits only",
        "--hostname=localhost                              | is reserved for the machine itself",
        "--hostname=web.localhost                          | is reserved for the machine itself",
        "--hostname=web1NEWLINEroot                        | is not a valid host name",
        "--hostname=web1SPACEx                             | is not a valid host name",
        "--hostname=wéb1                                   | is not a valid host name",
        "--hostname=web1;reboot                            | is not a valid host name",
        "--hostname=$(reboot)                              | is not a valid host name",
        "--hostname=`reboot`                               | is not a valid host name",
        "--hostname=web_1                                  | is not a valid host name",
        "--hostname=web.                                   | ends with a dot",
        "--bridge=br0;reboot                               | must be an interface name",
        "--mac=00:16:3e:00:00:0g                           | is not a MAC address",
        "--mac=ff:ff:ff:ff:ff:ff                           | is a multicast address",
        "--mac=00:16:3e:aa:bb:cc:dd                        | is not a MAC address",
        "--mac=00-16-3e-aa-bb-cc                           | is not a MAC address",
        "--disk_device=xvda;x                              | must be a disk device name",
        "--serial_device=hvc0SPACEroot=/dev/sda            | must be a serial device",
        "--size=9223372036854775807G                       | is larger than the 16T jxen accepts",
        "--memory=99999999T                                | is larger than the 16T jxen accepts",
        "--maxmem=99999T                                   | is larger than the 16T jxen accepts",
        "--swap=99999T                                     | is larger than the 16T jxen accepts",
        "--memory=0                                        | is zero",
        "--vcpus=99999                                     | must be from 1 to 512",
        "--vcpus=-1                                        | must be from 1 to 512",
        "--genpass_len=100000                              | from 8 to 128",
        "--genpass_len=-1                                  | from 8 to 128",
        "--vlan=4095                                       | VLAN id from 1 to 4094",
        "--fs=ext4;x                                       | unknown filesystem",
        "--image=sparse;x                                  | must be 'sparse' or 'full'",
        "--type=pv;x                                       | use pv or pvh",
        "--arch=amd64;x                                    | not a Debian architecture name",
        "--arch=../x                                       | not a Debian architecture name",
        "--dist=../../etc                                  | unknown distribution",
        "--dist=bookworm;reboot                            | unknown distribution",
        "--kernel=/dev/zero                                | --kernel=/dev/zero: no such file",
        "--boot-path=dom0-kernel --kernel=/etc/hostname --initrd=/dev/zero | --initrd=/dev/zero: no such file",
        "--boot-path=dom0-kernel --kernel=relative/vmlinuz | no such file",
        "--boot-path=dom0-kernel --modules=/nonexistent    | --modules=/nonexistent: no such directory",
        "--authorized-keys=/dev/zero                       | /dev/zero is not a plain file",
        "--authorized-keys=/etc                            | /etc is not a plain file",
        "--password-from=/dev/zero                         | --password-from=/dev/zero: no such file",
        "--password-from=/etc                              | --password-from=/etc: no such file",
        "--config=/dev/zero                                | --config=/dev/zero: no such file",
        "--config-dir=/nonexistent                         | no such directory; jxen does not fall back to its built-in defaults",
        "--partitions=/dev/zero                            | no such layout",
        "--partitions=/etc/passwd                          | expected '[name]' or 'key=value'",
        "--profile=../x                                    | a profile name holds letters",
        "--profile=xNEWLINEy                               | a profile name holds letters",
        "--install-method=tar --install-source=/dev/zero   | no such tarball",
        "--install-method=copy --install-source=/etc/passwd | no such directory",
        "--install-method=debootstrap --install-source=/etc | only for --install-method tar or copy",
        "--role=/nonexistent/role                          | no executable role script /nonexistent/role",
        "--role=/etc/passwd                                | no executable role script /etc/passwd",
        "--finalrole=/nonexistent/final                    | no executable role script /nonexistent/final",
        "--finalrole=x/../../y                             | is not a role name or path",
        "--template=/dev/zero                              | no such template file",
        "--template=/nonexistent.ftl                       | no such template file",
        "--keyring=/dev/zero                               | no such keyring file",
        "--password-file=/etc/passwd                       | already exists; jxen does not overwrite it",
        "--password-file=/tmpNEWLINEx                      | must be an absolute path without '..' or control characters",
        "--ip=192.0.2.10 --known-hosts=/nonexistent-dir/known_hosts | no directory /nonexistent-dir to hold it",
        "--log=/dev/null                                   | is a link, not a plain file, or not root's",
        "--log=/tmp/xNEWLINEy.log                          | has a control character in its name",
        "--extension=/x                                    | may hold only",
        "--output=/tmp/xNEWLINEy                           | must be an absolute path without '..' or control characters",
        "NODIR --dir=/tmp/xNEWLINEy                        | must be an absolute path without '..' or control characters",
        "NODIR --dir=/tmp/../etc                           | must be an absolute path without '..' or control characters",
        "NODIR --zpool=tank;x                              | not a ZFS pool or dataset name",
        "--cache=yes --base-cache-dir=/tmp/../etc          | must be an absolute path without '..' or control characters",
        "--base-cache-dir=/dev/null                        | --base-cache-dir=/dev/null: is not a directory",
    })
    void isRefusedAndNothingIsTouched(String args, String expected) throws Exception {
        InProcess.Result r = create(args.strip());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), "exit status; stderr: " + r.err());
        assertTrue(r.err().contains(expected.strip()), "stderr should contain '" + expected.strip() + "' but is: " + r.err());
        assertFalse(Files.exists(tmp.resolve("store")), "the storage directory was created");
        assertFalse(Files.exists(tmp.resolve("out")), "the .cfg directory was created");
        assertFalse(Files.exists(tmp.resolve("log")), "the log directory was created");
    }

    @Test
    void allProblemsAreReportedAtOnce() throws Exception {
        InProcess.Result r = create("--size=0 --memory=lots --vcpus=0");
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().contains("3 problems"), r.err());
    }

    @Test
    void aConfigFileValueIsReportedWithFileAndLine() throws Exception {
        Path config = InProcess.scratchConfigDir(tmp);
        Files.writeString(config.resolve("xen-tools.conf"), "dhcp = 1\npygrub = 1\nmemory = 12\n", java.nio.file.StandardOpenOption.APPEND);
        InProcess.Result r = InProcess.create(config, "--hostname=h1", "--dir=" + tmp.resolve("store"), "--dist=bookworm",
                "--mirror=http://mirror.example/debian", "--dry-run");
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().matches("(?s).*memory = 12 \\(.*xen-tools.conf:\\d+\\): a guest needs at least 32M.*"), r.err());
    }

    @Test
    void anOutputDirectoryThatCannotBeWrittenIsRefusedBeforeAnythingIsMade() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the check runs after the root check");
        InProcess.Result r = create("--output=/proc/jxen-out --dhcp");
        assertEquals(ExitCodes.HOST_STATE, r.exit(), r.err());
        assertTrue(r.err().contains("the .cfg cannot be written: /proc is not writable"), r.err());
        assertFalse(Files.exists(tmp.resolve("store")), "the storage directory was created");
    }

    @Test
    void aRelativeLogFileIsTakenFromTheWorkingDirectory() throws Exception {
        var spec = dev.jxen.config.TestSpecs.spec(tmp, "hostname=h1", "dir=/srv/xen", "dhcp", "log=relative.log");
        assertEquals(Path.of("relative.log").toAbsolutePath(), spec.run().log());
    }
}
