package dev.jxen.system;

import java.util.List;

/** How a command ended: its exit status, its whole standard output if captured, and its last lines. */
public record CommandResult(int status, String stdout, List<String> tail) {
    public boolean ok() {
        return status == 0;
    }
}
