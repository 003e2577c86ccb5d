package dev.jxen.pipeline;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the JVM's shutdown (after SIGINT or SIGTERM) until the command has rolled back and printed
 * its error: the JVM halts as soon as the shutdown hooks return, so a hook that returned when the
 * pipeline ended would cut off the report.
 */
public final class ShutdownGate {
    private static final CountDownLatch OPEN = new CountDownLatch(1);

    private ShutdownGate() {
    }

    /** Called by the entry point once the command's output is written, before it exits. */
    public static void release() {
        OPEN.countDown();
    }

    static void await(long seconds) {
        try {
            OPEN.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
