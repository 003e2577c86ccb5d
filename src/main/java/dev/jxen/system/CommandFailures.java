package dev.jxen.system;

import dev.jxen.error.CommandFailedException;

/** Turns an exit status into a sentence a sysadmin can act on. */
final class CommandFailures {
    private CommandFailures() {
    }

    static CommandFailedException describe(Command command, CommandResult r) {
        String tool = command.argv().get(0).equals("chroot") && command.argv().size() > 2
                ? command.argv().get(2) : command.label();
        String msg;
        String hint = null;
        if (r.status() == Command.TIMED_OUT && command.timeout() != null) {
            msg = tool + " did not finish within " + command.timeout().toSeconds() + " s and was stopped";
        } else if (r.status() == 127) {
            msg = tool + " not found";
            hint = ToolCheck.hintFor(tool);
        } else if (r.status() > 128 && r.status() < 160) {
            msg = tool + " was killed by signal " + (r.status() - 128);
        } else {
            msg = tool + " exited with status " + r.status();
        }
        StringBuilder b = new StringBuilder(msg).append(" (").append(command.display()).append(')');
        if (!r.tail().isEmpty()) {
            b.append("; its last output:");
            for (String line : r.tail()) {
                b.append("\n    ").append(line);
            }
        }
        return new CommandFailedException(b.toString(), hint, r.status(), r.tail());
    }
}
