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

    /** What a looking stage makes of the run as it stands. */
    @FunctionalInterface
    public interface Look<T> {
        T at(StageContext ctx) throws Exception;
    }

    /** A stage named {@code name} that returns what {@code look} sees in the run: what earlier stages left, at that point. */
    public static <T> Stage<T> looking(String name, Look<T> look) {
        return new Stage<>() {
            public String name() {
                return name;
            }

            public List<PlannedAction> plan(Plans plans) {
                return List.of();
            }

            public T run(StageContext ctx) throws Exception {
                return look.at(ctx);
            }
        };
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
