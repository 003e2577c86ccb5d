package dev.jxen.pipeline.event;

/** Receives the events of a run. */
@FunctionalInterface
public interface EventListener {
    void on(JxenEvent event);
}
