package dev.jxen.system;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A command's time limit fires while its output is still being read, and stops it and what it started. */
class CommandTimeoutTest {
    @Test
    void aCommandThatKeepsItsOutputOpenIsStoppedAtItsLimit() {
        long t0 = System.nanoTime();
        CommandResult r = new LocalCommandRunner().run(Command.of("/bin/sh", "-c", "echo started; sleep 600 & sleep 600")
                .capturing().withTimeout(Duration.ofSeconds(1)), l -> { });
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertEquals(Command.TIMED_OUT, r.status());
        assertTrue(seconds < 15, "took " + seconds + " s");
        assertEquals("started\n", r.stdout());
        assertTrue(r.tail().get(r.tail().size() - 1).contains("did not finish within 1 s"), r.tail().toString());
    }

    @Test
    void aFailureAtTheLimitSaysSo() {
        var e = assertThrows(dev.jxen.error.CommandFailedException.class, () -> new LocalCommandRunner()
                .check(Command.of("sleep", "600").withTimeout(Duration.ofSeconds(1)), l -> { }));
        assertTrue(e.getMessage().startsWith("sleep did not finish within 1 s and was stopped"), e.getMessage());
    }

    @Test
    void aBacktickThatHangsIsStopped() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backticks.run("sleep 600", Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("did not finish in 1 s"), e.getMessage());
        assertEquals(new Backticks.Result("a b", 3), Backticks.run("echo a b; exit 3"));
    }
}
