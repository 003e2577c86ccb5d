/*
 * A guest owner's program, planted in a guest and run by jxen (as the guest's apt-get on an update,
 * or through chroot by a role): it tries every way out of its sandbox it knows, each in a child of
 * its own, and writes one line per attempt, "ATTEMPT name: blocked (why)" or "ATTEMPT name: ESCAPED
 * (what)", to standard output and to /var/tmp/jxen-escape.txt in the guest.
 *
 * What to aim at is read from /etc/jxen-escape.conf in the guest, one "key value" a line (an attacker
 * knows or guesses the dom0's paths): secret, disk, unix, abstract, tcp, hostip, hostport, pid, victims.
 * Built static (gcc -static), so that it needs nothing of the guest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static char secret[512], disk[512], unixpath[108], abstractname[100], hostip[64], victims[512];
static int tcpport, hostport, dom0pid;
static FILE *results;

static void conf(void) {
    FILE *f = fopen("/etc/jxen-escape.conf", "r");
    char k[64], v[512];
    if (!f) return;
    while (fscanf(f, "%63s %511s", k, v) == 2) {
        if (!strcmp(k, "secret")) snprintf(secret, sizeof secret, "%s", v);
        else if (!strcmp(k, "disk")) snprintf(disk, sizeof disk, "%s", v);
        else if (!strcmp(k, "unix")) snprintf(unixpath, sizeof unixpath, "%s", v);
        else if (!strcmp(k, "abstract")) snprintf(abstractname, sizeof abstractname, "%s", v);
        else if (!strcmp(k, "hostip")) snprintf(hostip, sizeof hostip, "%s", v);
        else if (!strcmp(k, "victims")) snprintf(victims, sizeof victims, "%s", v);
        else if (!strcmp(k, "tcp")) tcpport = atoi(v);
        else if (!strcmp(k, "hostport")) hostport = atoi(v);
        else if (!strcmp(k, "pid")) dom0pid = atoi(v);
    }
    fclose(f);
}

/* The child's verdict: 0 blocked, 1 escaped; the line says which and why. */
static int blocked(const char *name, const char *why) {
    printf("ATTEMPT %s: blocked (%s)\n", name, why);
    fprintf(results, "ATTEMPT %s: blocked (%s)\n", name, why);
    return 0;
}

static int escaped(const char *name, const char *what) {
    printf("ATTEMPT %s: ESCAPED (%s)\n", name, what);
    fprintf(results, "ATTEMPT %s: ESCAPED (%s)\n", name, what);
    return 1;
}

static int by_errno(const char *name, long r, const char *what) {
    if (r < 0) return blocked(name, strerror(errno));
    return escaped(name, what);
}

/*
 * For a call that only privilege stands in the way of: refused for want of it (EPERM, EACCES, EROFS;
 * EAFNOSUPPORT from the filter for a socket family) is blocked; any other error means the call got
 * past the permission check into the kernel's own work, which is as good as done.
 */
static int by_permission(const char *name, long r, const char *what) {
    if (r >= 0) return escaped(name, what);
    if (errno == EPERM || errno == EACCES || errno == EROFS || errno == EAFNOSUPPORT) return blocked(name, strerror(errno));
    char why[200];
    snprintf(why, sizeof why, "%s: the call got past the permission check (%s)", what, strerror(errno));
    return escaped(name, why);
}

static int read_file(const char *name, const char *path) {
    char buf[64];
    int fd = open(path, O_RDONLY);
    if (fd < 0) return blocked(name, strerror(errno));
    long n = read(fd, buf, sizeof buf);
    if (n < 0) return blocked(name, strerror(errno));
    return escaped(name, path);
}

/* Whether dom0pid is the dom0's victim process (named so by the test), not a process of the sandbox's own with the same number. */
static int victim(void) {
    char p[64], buf[256] = { 0 };
    snprintf(p, sizeof p, "/proc/%d/cmdline", dom0pid);
    int fd = open(p, O_RDONLY);
    if (fd < 0) return 0;
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n > 0 && strstr(buf, "jxen-escape-victim") != NULL;
}

static int connect_to(const char *name, struct sockaddr *a, socklen_t len, int family) {
    int s = socket(family, SOCK_STREAM, 0);
    if (s < 0) return blocked(name, strerror(errno));
    if (connect(s, a, len) < 0) return blocked(name, strerror(errno));
    return escaped(name, "connected");
}

static int attempt(const char *name) {
    if (!strcmp(name, "chroot-escape")) {
        mkdir("/.jxen-escape", 0700);
        if (chroot("/.jxen-escape") < 0) return blocked(name, strerror(errno));
        for (int i = 0; i < 64; i++) if (chdir("..") < 0) break;
        if (chroot(".") < 0) return blocked(name, strerror(errno));
        if (access(secret, F_OK) == 0) return escaped(name, "left the chroot and found the dom0's secret");
        if (access("/proc/1", F_OK) == 0 && access("/etc/shadow", F_OK) != 0 && access("/usr/bin", F_OK) == 0)
            return blocked(name, "left the chroot, into the sandbox's own root: no dom0 secret, no shadow");
        return blocked(name, "left the chroot, and the dom0 is not there");
    }
    if (!strcmp(name, "read-dom0-secret")) return read_file(name, secret);
    if (!strcmp(name, "read-other-guest-disk")) return read_file(name, disk);
    if (!strcmp(name, "read-dom0-etc")) {
        /* the guest has no such file; the dom0 has, made by the test */
        return read_file(name, "/etc/jxen-dom0-marker");
    }
    if (!strcmp(name, "read-dom0-etc-through-proc-root")) return read_file(name, "/proc/1/root/etc/jxen-dom0-marker");
    if (!strcmp(name, "read-through-proc-root")) {
        char p[600];
        snprintf(p, sizeof p, "/proc/1/root%s", secret);
        return read_file(name, p);
    }
    if (!strcmp(name, "open-by-handle")) {
        struct { unsigned int bytes; int type; unsigned char h[8]; } fh = { 8, 1, { 2, 0, 0, 0, 0, 0, 0, 0 } };
        int root = open("/", O_RDONLY | O_DIRECTORY);
        return by_permission(name, syscall(SYS_open_by_handle_at, root, &fh, O_RDONLY), "opened the filesystem's root inode by handle");
    }
    if (!strcmp(name, "dom0-unix-socket")) {
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        snprintf(a.sun_path, sizeof a.sun_path, "%s", unixpath);
        return connect_to(name, (struct sockaddr *) &a, sizeof a, AF_UNIX);
    }
    if (!strcmp(name, "dom0-abstract-socket")) {
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        a.sun_path[0] = 0;
        memcpy(a.sun_path + 1, abstractname, strlen(abstractname));
        return connect_to(name, (struct sockaddr *) &a, offsetof(struct sockaddr_un, sun_path) + 1 + strlen(abstractname), AF_UNIX);
    }
    if (!strcmp(name, "dom0-tcp-loopback")) {
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(tcpport) };
        inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
        return connect_to(name, (struct sockaddr *) &a, sizeof a, AF_INET);
    }
    if (!strcmp(name, "dom0-tcp-address")) {
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(hostport) };
        inet_pton(AF_INET, hostip, &a.sin_addr);
        return connect_to(name, (struct sockaddr *) &a, sizeof a, AF_INET);
    }
    if (!strcmp(name, "raw-ip-socket")) return by_permission(name, socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), "opened a raw IP socket");
    if (!strcmp(name, "raw-packet-socket")) return by_permission(name, socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)), "opened a packet socket");
    if (!strcmp(name, "vsock-socket")) return by_permission(name, socket(40 /* AF_VSOCK */, SOCK_STREAM, 0), "opened a vsock socket, which is not per network namespace");
    if (!strcmp(name, "device-events-socket")) return by_permission(name, socket(AF_NETLINK, SOCK_DGRAM, 15 /* NETLINK_KOBJECT_UEVENT */), "opened the kernel's device event socket");
    if (!strcmp(name, "netlink-sees-dom0-interfaces")) {
        struct if_nameindex *ifs = if_nameindex();
        if (!ifs) return blocked(name, strerror(errno));
        for (struct if_nameindex *i = ifs; i->if_index; i++)
            if (strcmp(i->if_name, "lo")) return escaped(name, i->if_name);
        return blocked(name, "only lo in the sandbox's network namespace");
    }
    if (!strcmp(name, "netlink-change-interface")) {
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        struct ifreq r = { 0 };
        snprintf(r.ifr_name, sizeof r.ifr_name, "lo");
        if (s < 0 || ioctl(s, SIOCGIFFLAGS, &r) < 0) return blocked(name, strerror(errno));
        r.ifr_flags |= IFF_PROMISC;
        return by_permission(name, ioctl(s, SIOCSIFFLAGS, &r), "changed an interface's flags");
    }
    if (!strcmp(name, "ptrace-dom0-process")) {
        if (ptrace(PTRACE_ATTACH, dom0pid, 0, 0) < 0) return blocked(name, strerror(errno));
        return victim() ? escaped(name, "attached to the dom0's process") : blocked(name, "that pid is a process of the sandbox's own");
    }
    if (!strcmp(name, "signal-dom0-process")) {
        if (kill(dom0pid, 0) < 0) return blocked(name, strerror(errno));
        return victim() ? escaped(name, "can signal the dom0's process") : blocked(name, "that pid is a process of the sandbox's own");
    }
    if (!strcmp(name, "read-dom0-process-environ")) {
        char p[64];
        snprintf(p, sizeof p, "/proc/%d/environ", dom0pid);
        int fd = open(p, O_RDONLY);
        if (fd < 0) return blocked(name, strerror(errno));
        return victim() ? escaped(name, "read the dom0 process's environment") : blocked(name, "that pid is a process of the sandbox's own");
    }
    if (!strcmp(name, "mount")) return by_permission(name, mount("none", "/mnt", "tmpfs", 0, NULL), "mounted a tmpfs");
    if (!strcmp(name, "mount-bind")) return by_permission(name, mount("/", "/mnt", NULL, MS_BIND, NULL), "made a bind mount");
    if (!strcmp(name, "load-kernel-module")) return by_permission(name, syscall(SYS_init_module, "", 0, ""), "called init_module");
    if (!strcmp(name, "load-kernel-module-fd")) {
        int fd = open("/dev/null", O_RDONLY);
        return by_permission(name, syscall(SYS_finit_module, fd, "", 0), "called finit_module");
    }
    if (!strcmp(name, "make-block-device")) return by_permission(name, mknod("/tmp/jxen-sda", S_IFBLK | 0600, makedev(8, 0)), "made a block device node");
    if (!strcmp(name, "open-planted-device-node")) {
        /* a loop device node the guest's owner put on its disk: the guest is mounted nodev */
        int fd = open("/var/tmp/jxen-loop-control", O_RDWR);
        return by_permission(name, fd, "opened a device node planted on the guest's disk");
    }
    if (!strcmp(name, "open-dom0-disk")) {
        const char *devs[] = { "/dev/vda", "/dev/sda", "/dev/xvda", "/dev/nvme0n1", "/dev/loop0", "/dev/loop-control", "/dev/mem", "/dev/kmsg", "/dev/port", NULL };
        for (int i = 0; devs[i]; i++) {
            int fd = open(devs[i], O_RDONLY);
            if (fd >= 0) return escaped(name, devs[i]);
        }
        return blocked(name, "no disk, memory or loop device in the sandbox's /dev");
    }
    if (!strcmp(name, "sysrq-trigger")) {
        int fd = open("/proc/sysrq-trigger", O_WRONLY);
        return by_errno(name, fd, "opened /proc/sysrq-trigger for writing");
    }
    if (!strcmp(name, "core-pattern")) {
        int fd = open("/proc/sys/kernel/core_pattern", O_WRONLY);
        return by_errno(name, fd, "opened kernel.core_pattern for writing: the next crash runs a program as the dom0's root");
    }
    if (!strcmp(name, "uevent-helper")) {
        int fd = open("/sys/kernel/uevent_helper", O_WRONLY);
        return by_errno(name, fd, "opened /sys/kernel/uevent_helper for writing");
    }
    if (!strcmp(name, "write-dom0-file")) {
        char p[600];
        snprintf(p, sizeof p, "%s/planted-by-a-guest", victims);
        return by_errno(name, open(p, O_CREAT | O_WRONLY, 0644), "created a file in a dom0 directory");
    }
    if (!strcmp(name, "new-user-namespace")) return by_permission(name, unshare(CLONE_NEWUSER), "made a user namespace, where it would hold every capability");
    if (!strcmp(name, "new-mount-namespace")) return by_permission(name, unshare(CLONE_NEWNS), "made a mount namespace");
    if (!strcmp(name, "setns-to-init")) {
        int fd = open("/proc/1/ns/mnt", O_RDONLY);
        if (fd < 0) return blocked(name, strerror(errno));
        return by_permission(name, setns(fd, 0), "entered another mount namespace");
    }
    if (!strcmp(name, "keyring")) return by_permission(name, syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0), "reached the kernel keyring");
    if (!strcmp(name, "bpf")) {
        union bpf_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.map_type = BPF_MAP_TYPE_ARRAY;
        attr.key_size = 4;
        attr.value_size = 4;
        attr.max_entries = 1;
        return by_permission(name, syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr), "made a BPF map");
    }
    if (!strcmp(name, "perf-events")) {
        struct perf_event_attr pe;
        memset(&pe, 0, sizeof pe);
        pe.type = PERF_TYPE_SOFTWARE;
        pe.size = sizeof pe;
        pe.config = PERF_COUNT_SW_CPU_CLOCK;
        return by_permission(name, syscall(SYS_perf_event_open, &pe, -1, 0, -1, 0), "opened a system-wide perf event");
    }
    if (!strcmp(name, "io-uring")) {
        char params[120] = { 0 };
        return by_permission(name, syscall(SYS_io_uring_setup, 1, params), "set up an io_uring");
    }
    if (!strcmp(name, "reboot")) return by_permission(name, syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_ON, 0), "called reboot");
    if (!strcmp(name, "set-clock")) {
        struct timeval now;
        gettimeofday(&now, NULL);
        return by_permission(name, settimeofday(&now, NULL), "set the dom0's clock");
    }
    if (!strcmp(name, "terminal-injection")) {
        char c = '\n';
        int fd = open("/dev/tty", O_RDWR);
        if (fd >= 0 && ioctl(fd, TIOCSTI, &c) == 0) return escaped(name, "pushed a key into the terminal jxen runs in");
        if (ioctl(0, TIOCSTI, &c) == 0) return escaped(name, "pushed a key into standard input's terminal");
        return blocked(name, "no controlling terminal");
    }
    return escaped(name, "unknown attempt");
}

static const char *attempts[] = {
    "chroot-escape", "read-dom0-secret", "read-other-guest-disk", "read-dom0-etc", "read-dom0-etc-through-proc-root",
    "read-through-proc-root", "open-by-handle",
    "dom0-unix-socket", "dom0-abstract-socket", "dom0-tcp-loopback", "dom0-tcp-address", "raw-ip-socket", "raw-packet-socket",
    "vsock-socket", "device-events-socket", "open-planted-device-node",
    "netlink-sees-dom0-interfaces", "netlink-change-interface", "ptrace-dom0-process", "signal-dom0-process",
    "read-dom0-process-environ", "mount", "mount-bind", "load-kernel-module", "load-kernel-module-fd", "make-block-device",
    "open-dom0-disk", "sysrq-trigger", "core-pattern", "uevent-helper", "write-dom0-file", "new-user-namespace",
    "new-mount-namespace", "setns-to-init", "keyring", "bpf", "perf-events", "io-uring", "reboot", "set-clock",
    "terminal-injection", NULL
};

int main(int argc, char **argv) {
    /* As the guest's apt-get, an update runs it three times; one round of attempts is enough. */
    if (argc > 1 && (!strcmp(argv[argc - 1], "upgrade") || !strcmp(argv[argc - 1], "clean"))) return 0;
    conf();
    const char *mode = argc > 1 ? argv[argc - 1] : "run";
    results = fopen("/var/tmp/jxen-escape.txt", "a");
    if (!results) results = stderr;
    setvbuf(results, NULL, _IOLBF, 0);
    setvbuf(stdout, NULL, _IOLBF, 0);
    fprintf(results, "ROUND %s uid=%d\n", mode, getuid());
    int escapes = 0, n = 0;
    for (int i = 0; attempts[i]; i++, n++) {
        fflush(NULL);
        pid_t p = fork();
        if (p == 0) _exit(attempt(attempts[i]));
        int st = 0;
        waitpid(p, &st, 0);
        if (!WIFEXITED(st)) {
            fprintf(results, "ATTEMPT %s: blocked (killed by signal %d)\n", attempts[i], WTERMSIG(st));
        } else if (WEXITSTATUS(st)) {
            escapes++;
        }
    }
    fprintf(results, "DONE %d attempts, %d escapes\n", n, escapes);
    printf("DONE %d attempts, %d escapes\n", n, escapes);
    return 0;
}
