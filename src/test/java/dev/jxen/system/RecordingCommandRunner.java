package dev.jxen.system;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Records commands instead of running them, for the few tools that cannot run on a test machine
 * (lvcreate without device-mapper, xl without a hypervisor). Answers come from a function.
 */
public final class RecordingCommandRunner implements CommandRunner {
    private final List<Command> commands = new ArrayList<>();
    private final Function<Command, CommandResult> answer;

    public RecordingCommandRunner(Function<Command, CommandResult> answer) {
        this.answer = answer;
    }

    public RecordingCommandRunner() {
        this(c -> new CommandResult(0, "", List.of()));
    }

    @Override
    public synchronized CommandResult run(Command command, Consumer<String> lines) {
        commands.add(command);
        return answer.apply(command);
    }

    public synchronized List<Command> commands() {
        return List.copyOf(commands);
    }

    public synchronized List<String> lines() {
        return commands.stream().map(Command::display).toList();
    }
}
