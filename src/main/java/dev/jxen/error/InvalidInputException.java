package dev.jxen.error;

import java.util.List;

/** One or more rejected inputs, every one named with where it came from. Exit status 2. */
public class InvalidInputException extends JxenException {
    private final List<String> problems;

    public InvalidInputException(List<String> problems) {
        super(ExitCodes.INVALID_INPUT, render(problems), "run with --help to see the accepted options and values", null);
        this.problems = List.copyOf(problems);
    }

    public InvalidInputException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }

    private static String render(List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        StringBuilder b = new StringBuilder(problems.size() + " problems with the input:");
        for (String p : problems) {
            b.append("\n  - ").append(p);
        }
        return b.toString();
    }
}
