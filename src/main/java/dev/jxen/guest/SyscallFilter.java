package dev.jxen.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seccomp filter an untrusted guest's code runs under (bubblewrap's {@code --seccomp}): a classic
 * BPF program that refuses, with EPERM, the system calls that reach past a sandbox or change the whole
 * machine (mounts, namespaces, modules, kexec, the clock, tracing, keyrings, BPF, io_uring, file handles),
 * for the x86_64 ABI and the i386 one (a 32-bit guest's programs), and every call of the x32 ABI.
 * Any other architecture is refused whole, so a filter built for the wrong machine fails closed.
 *
 * <p>This is a deny list on top of what already holds without it (no capability to do any of these,
 * private namespaces): a second wall, as Docker's default profile is one, not the only one.
 */
public final class SyscallFilter {
    /** AUDIT_ARCH_X86_64 and AUDIT_ARCH_I386, as the kernel puts them in seccomp_data.arch. */
    static final int ARCH_X86_64 = 0xC000003E;
    static final int ARCH_I386 = 0x40000003;
    /** Syscall numbers of the x32 ABI carry this bit. */
    static final int X32_BIT = 0x40000000;

    /** clone(2)'s flags that make namespaces: CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME. */
    static final int NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080;

    private static final int SECCOMP_RET_ALLOW = 0x7fff0000;
    private static final int SECCOMP_RET_ERRNO = 0x00050000;
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    private static final short LD_W_ABS = 0x20;
    private static final short JEQ_K = 0x15;
    private static final short JGE_K = 0x35;
    private static final short JSET_K = 0x45;
    private static final short RET_K = 0x06;

    private static final int OFFSET_NR = 0;
    private static final int OFFSET_ARCH = 4;
    /** The low 32 bits of args[0] and args[2] on a little-endian machine. */
    private static final int OFFSET_ARG0 = 16;
    private static final int OFFSET_ARG2 = 32;
    private static final int EAFNOSUPPORT = 97;
    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int NETLINK_KOBJECT_UEVENT = 15;

    /** Each refused call with its x86_64 and i386 numbers (-1: the ABI has no such call). */
    static final Map<String, int[]> DENIED = denied();

    private static Map<String, int[]> denied() {
        Map<String, int[]> m = new TreeMap<>();
        m.put("mount", new int[]{165, 21});
        m.put("umount2", new int[]{166, 52});
        m.put("umount", new int[]{-1, 22});
        m.put("pivot_root", new int[]{155, 217});
        m.put("chroot", new int[]{161, 61});
        m.put("unshare", new int[]{272, 310});
        m.put("setns", new int[]{308, 346});
        m.put("ptrace", new int[]{101, 26});
        m.put("process_vm_readv", new int[]{310, 347});
        m.put("process_vm_writev", new int[]{311, 348});
        m.put("pidfd_getfd", new int[]{438, 438});
        m.put("kexec_load", new int[]{246, 283});
        m.put("kexec_file_load", new int[]{320, -1});
        m.put("init_module", new int[]{175, 128});
        m.put("finit_module", new int[]{313, 350});
        m.put("delete_module", new int[]{176, 129});
        m.put("create_module", new int[]{174, 127});
        m.put("reboot", new int[]{169, 88});
        m.put("swapon", new int[]{167, 87});
        m.put("swapoff", new int[]{168, 115});
        m.put("settimeofday", new int[]{164, 79});
        m.put("stime", new int[]{-1, 25});
        m.put("clock_settime", new int[]{227, 264});
        m.put("clock_settime64", new int[]{-1, 404});
        m.put("clock_adjtime", new int[]{305, 343});
        m.put("clock_adjtime64", new int[]{-1, 405});
        m.put("adjtimex", new int[]{159, 124});
        m.put("bpf", new int[]{321, 357});
        m.put("perf_event_open", new int[]{298, 336});
        m.put("userfaultfd", new int[]{323, 374});
        m.put("keyctl", new int[]{250, 288});
        m.put("add_key", new int[]{248, 286});
        m.put("request_key", new int[]{249, 287});
        m.put("open_by_handle_at", new int[]{304, 342});
        m.put("name_to_handle_at", new int[]{303, 341});
        m.put("iopl", new int[]{172, 110});
        m.put("ioperm", new int[]{173, 101});
        m.put("acct", new int[]{163, 51});
        m.put("quotactl", new int[]{179, 131});
        m.put("quotactl_fd", new int[]{443, 443});
        m.put("syslog", new int[]{103, 103});
        m.put("vhangup", new int[]{153, 111});
        m.put("lookup_dcookie", new int[]{212, 253});
        m.put("io_uring_setup", new int[]{425, 425});
        m.put("io_uring_enter", new int[]{426, 426});
        m.put("io_uring_register", new int[]{427, 427});
        m.put("fsopen", new int[]{430, 430});
        m.put("fsconfig", new int[]{431, 431});
        m.put("fsmount", new int[]{432, 432});
        m.put("fspick", new int[]{433, 433});
        m.put("open_tree", new int[]{428, 428});
        m.put("move_mount", new int[]{429, 429});
        m.put("mount_setattr", new int[]{442, 442});
        m.put("uselib", new int[]{134, 86});
        m.put("_sysctl", new int[]{156, 149});
        m.put("nfsservctl", new int[]{180, 169});
        m.put("vm86", new int[]{-1, 166});
        m.put("vm86old", new int[]{-1, 113});
        return m;
    }

    /** clone3 takes its flags in memory that a filter cannot read: ENOSYS makes the C library fall back to clone, whose flags it can. */
    static final int[] CLONE3 = {435, 435};
    static final int[] CLONE = {56, 120};
    /** socket(2); the i386 ABI's socketcall(2), whose arguments are in memory, cannot be filtered and stays open. */
    static final int[] SOCKET = {41, 359};

    private final boolean allowChroot;

    private SyscallFilter(boolean allowChroot) {
        this.allowChroot = allowChroot;
    }

    /** The filter for a guest's own programs, run with the guest as their root. */
    public static SyscallFilter forGuestPrograms() {
        return new SyscallFilter(false);
    }

    /**
     * The filter for a dom0 hook or role that works on an untrusted guest: the same, but chroot(2) is
     * allowed, since hooks enter the guest with {@code chroot "$1"}; what a program leaving that chroot
     * finds is the sandbox's own root, which holds nothing of the dom0 but named read-only paths.
     */
    public static SyscallFilter forHooks() {
        return new SyscallFilter(true);
    }

    /** The names of the refused calls, for the plan and the README. */
    public List<String> refused() {
        List<String> out = new ArrayList<>();
        for (String name : DENIED.keySet()) {
            if (!(allowChroot && name.equals("chroot"))) {
                out.add(name);
            }
        }
        out.add("clone and clone3 with namespace flags");
        out.add("socket of any family but unix, inet, inet6 and netlink, and netlink's kernel device events");
        return out;
    }

    /** The program, as {@code struct sock_filter[]} in this machine's byte order, ready for bubblewrap's --seccomp. */
    public byte[] program() {
        List<long[]> x86 = abi(0, true);
        List<long[]> i386 = abi(1, false);
        List<long[]> out = new ArrayList<>();
        ins(out, LD_W_ABS, 0, 0, OFFSET_ARCH);
        // each block ends in a return, so "not this architecture" jumps just past it
        ins(out, JEQ_K, 0, x86.size(), ARCH_X86_64);
        out.addAll(x86);
        ins(out, JEQ_K, 0, i386.size(), ARCH_I386);
        out.addAll(i386);
        out.add(ret(SECCOMP_RET_ERRNO | EPERM));
        for (long[] in : out) {
            if (in[1] > 255 || in[2] > 255) {
                throw new IllegalStateException("a jump longer than a BPF jump can be");
            }
        }
        ByteBuffer b = ByteBuffer.allocate(out.size() * 8).order(ByteOrder.nativeOrder());
        for (long[] in : out) {
            b.putShort((short) in[0]).put((byte) in[1]).put((byte) in[2]).putInt((int) in[3]);
        }
        return b.array();
    }

    /** The block of one ABI: load the call number, refuse the listed ones, check clone's flags, allow the rest. */
    private List<long[]> abi(int column, boolean x86_64) {
        List<long[]> p = new ArrayList<>();
        ins(p, LD_W_ABS, 0, 0, OFFSET_NR);
        if (x86_64) {
            ins(p, JGE_K, 0, 1, X32_BIT);
            p.add(ret(SECCOMP_RET_ERRNO | EPERM));
        }
        for (Map.Entry<String, int[]> e : DENIED.entrySet()) {
            int nr = e.getValue()[column];
            if (nr < 0 || (allowChroot && e.getKey().equals("chroot"))) {
                continue;
            }
            ins(p, JEQ_K, 0, 1, nr);
            p.add(ret(SECCOMP_RET_ERRNO | EPERM));
        }
        ins(p, JEQ_K, 0, 1, CLONE3[column]);
        p.add(ret(SECCOMP_RET_ERRNO | ENOSYS));
        // socket(): only unix, IPv4, IPv6 and netlink, and no netlink socket for the dom0's device events
        ins(p, JEQ_K, 0, 9, SOCKET[column]);
        ins(p, LD_W_ABS, 0, 0, OFFSET_ARG0);
        ins(p, JEQ_K, 6, 0, AF_UNIX);
        ins(p, JEQ_K, 5, 0, AF_INET);
        ins(p, JEQ_K, 4, 0, AF_INET6);
        ins(p, JEQ_K, 0, 2, AF_NETLINK);
        ins(p, LD_W_ABS, 0, 0, OFFSET_ARG2);
        ins(p, JEQ_K, 0, 1, NETLINK_KOBJECT_UEVENT);
        p.add(ret(SECCOMP_RET_ERRNO | EAFNOSUPPORT));
        p.add(ret(SECCOMP_RET_ALLOW));
        ins(p, JEQ_K, 0, 3, CLONE[column]);
        ins(p, LD_W_ABS, 0, 0, OFFSET_ARG0);
        ins(p, JSET_K, 0, 1, NAMESPACE_FLAGS);
        p.add(ret(SECCOMP_RET_ERRNO | EPERM));
        p.add(ret(SECCOMP_RET_ALLOW));
        return p;
    }

    private static void ins(List<long[]> p, short code, int jt, int jf, int k) {
        p.add(new long[]{code, jt, jf, k & 0xffffffffL});
    }

    private static long[] ret(int value) {
        return new long[]{RET_K, 0, 0, value & 0xffffffffL};
    }

    /** For tests: the program as text, one instruction a line. */
    String listing() {
        ByteBuffer b = ByteBuffer.wrap(program()).order(ByteOrder.nativeOrder());
        StringBuilder s = new StringBuilder();
        for (int i = 0; b.hasRemaining(); i++) {
            s.append(String.format("%3d: code=%02x jt=%d jf=%d k=%08x%n", i, b.getShort(), b.get() & 0xff, b.get() & 0xff, b.getInt()));
        }
        return s.toString();
    }
}
