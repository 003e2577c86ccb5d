package dev.jxen.guest;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seccomp filter, run by a classic-BPF interpreter over the calls a sandboxed guest may make: the
 * ones that reach past the sandbox are refused on each ABI, the ones a package manager needs pass.
 */
class SyscallFilterTest {
    private static final int ALLOW = 0x7fff0000;
    private static final int EPERM = 0x00050001;
    private static final int ENOSYS = 0x00050026;
    private static final int X86_64 = SyscallFilter.ARCH_X86_64;
    private static final int I386 = SyscallFilter.ARCH_I386;

    /** Runs the program over seccomp_data {nr, arch, ip = 0, args[0] = arg0}, as the kernel would. */
    static int run(byte[] program, int arch, int nr, long arg0) {
        return run(program, arch, nr, arg0, 0);
    }

    static int run(byte[] program, int arch, int nr, long arg0, long arg2) {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch).putLong(16, arg0).putLong(32, arg2);
        ByteBuffer p = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        int n = program.length / 8;
        int pc = 0;
        int a = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            assertTrue(pc >= 0 && pc < n, "the program runs off its end at " + pc);
            int code = p.getShort(pc * 8) & 0xffff;
            int jt = p.get(pc * 8 + 2) & 0xff;
            int jf = p.get(pc * 8 + 3) & 0xff;
            int k = p.getInt(pc * 8 + 4);
            switch (code) {
                case 0x20 -> {
                    a = data.getInt(k);
                    pc++;
                }
                case 0x15 -> pc += 1 + (a == k ? jt : jf);
                case 0x35 -> pc += 1 + (Integer.compareUnsigned(a, k) >= 0 ? jt : jf);
                case 0x45 -> pc += 1 + ((a & k) != 0 ? jt : jf);
                case 0x06 -> {
                    return k;
                }
                default -> throw new AssertionError("an instruction the interpreter does not know: " + Integer.toHexString(code));
            }
        }
        throw new AssertionError("the program does not end");
    }

    private static final byte[] GUEST = SyscallFilter.forGuestPrograms().program();
    private static final byte[] HOOK = SyscallFilter.forHooks().program();

    @Test
    void whatReachesPastTheSandboxIsRefusedOnBothAbis() {
        for (var e : SyscallFilter.DENIED.entrySet()) {
            if (e.getValue()[0] >= 0) {
                assertEquals(EPERM, run(GUEST, X86_64, e.getValue()[0], 0), e.getKey() + " on x86_64");
            }
            if (e.getValue()[1] >= 0) {
                assertEquals(EPERM, run(GUEST, I386, e.getValue()[1], 0), e.getKey() + " on i386");
            }
        }
    }

    @Test
    void whatAPackageManagerNeedsPasses() {
        // read, write, openat, execve, rename, chown, fork on x86_64; read, execve, chown32 on i386
        for (int nr : new int[]{0, 1, 257, 59, 82, 92, 57, 435 - 1}) {
            assertEquals(ALLOW, run(GUEST, X86_64, nr, 0), "x86_64 call " + nr);
        }
        for (int nr : new int[]{3, 11, 212}) {
            assertEquals(ALLOW, run(GUEST, I386, nr, 0), "i386 call " + nr);
        }
    }

    @Test
    void cloneMakesNoNamespaceAndClone3FallsBackToIt() {
        long forkFlags = 0x01200011L; // CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, as fork() passes them
        long threadFlags = 0x003d0f00L;
        assertEquals(ALLOW, run(GUEST, X86_64, 56, forkFlags));
        assertEquals(ALLOW, run(GUEST, X86_64, 56, threadFlags));
        assertEquals(EPERM, run(GUEST, X86_64, 56, forkFlags | 0x10000000L), "CLONE_NEWUSER");
        assertEquals(EPERM, run(GUEST, X86_64, 56, 0x00020000L), "CLONE_NEWNS");
        assertEquals(EPERM, run(GUEST, I386, 120, 0x40000000L), "CLONE_NEWNET on i386");
        assertEquals(ENOSYS, run(GUEST, X86_64, 435, 0));
    }

    @Test
    void socketsOnlyOfTheFamiliesAPackageManagerUses() {
        int eafnosupport = 0x00050061;
        assertEquals(ALLOW, run(GUEST, X86_64, 41, 1), "unix");
        assertEquals(ALLOW, run(GUEST, X86_64, 41, 2), "inet");
        assertEquals(ALLOW, run(GUEST, X86_64, 41, 10), "inet6");
        assertEquals(ALLOW, run(GUEST, X86_64, 41, 16, 0), "netlink route");
        assertEquals(eafnosupport, run(GUEST, X86_64, 41, 16, 15), "netlink kernel device events");
        assertEquals(eafnosupport, run(GUEST, X86_64, 41, 17), "packet");
        assertEquals(eafnosupport, run(GUEST, X86_64, 41, 40), "vsock");
        assertEquals(eafnosupport, run(GUEST, I386, 359, 40), "vsock on i386");
        assertEquals(eafnosupport, run(HOOK, X86_64, 41, 38), "alg");
        assertEquals(EPERM, run(GUEST, X86_64, 56, 0x10000000L), "the clone check after the socket block still holds");
    }

    @Test
    void theX32AbiAndOtherArchitecturesAreRefusedWhole() {
        assertEquals(EPERM, run(GUEST, X86_64, 0x40000000, 0), "x32 read");
        assertEquals(EPERM, run(GUEST, 0xC00000B7, 63, 0), "aarch64 read");
    }

    @Test
    void aHookMayChrootIntoTheGuestAndNothingMore() {
        assertEquals(ALLOW, run(HOOK, X86_64, 161, 0));
        assertEquals(EPERM, run(GUEST, X86_64, 161, 0));
        assertEquals(EPERM, run(HOOK, X86_64, 165, 0), "mount");
        assertTrue(SyscallFilter.forHooks().refused().stream().noneMatch("chroot"::equals));
    }
}
