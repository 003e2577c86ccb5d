package dev.jxen.pipeline;

import java.util.List;

/** Stages that stand in a test pipeline for the real ones around the stage under test. */
public final class TestStages {
    private TestStages() {
    }

    /** A stage that fails, so that the stages before it roll back. */
    public static Stage<Void> failing() {
        return giving("failing", null, true);
    }

    /** A stage named {@code name} that stands for an earlier one and returns {@code value}. */
    public static <T> Stage<T> giving(String name, T value) {
        return giving(name, value, false);
    }

    private static <T> Stage<T> giving(String name, T value, boolean fail) {
        return new Stage<>() {
            public String name() {
                return name;
            }

            public List<PlannedAction> plan(Plans plans) {
                return List.of();
            }

            public T run(StageContext ctx) {
                if (fail) {
                    throw new IllegalStateException("injected");
                }
                return value;
            }
        };
    }
}
