package dev.jxen.pipeline.event;

import dev.jxen.pipeline.event.JxenEvent.Level;

import java.util.ArrayList;
import java.util.List;

/** Sends each event to every listener, through the redactor, so no listener ever sees a secret. */
public final class EventHandlers {
    private final List<EventListener> listeners = new ArrayList<>();
    private final Redactor redactor;

    public EventHandlers(Redactor redactor) {
        this.redactor = redactor;
    }

    public synchronized EventHandlers add(EventListener l) {
        listeners.add(l);
        return this;
    }

    public synchronized EventHandlers remove(EventListener l) {
        listeners.remove(l);
        return this;
    }

    public synchronized void dispatch(JxenEvent event) {
        JxenEvent clean = redactor.redact(event);
        for (EventListener l : listeners) {
            l.on(clean);
        }
    }

    public void log(Level level, String stage, String text) {
        dispatch(new JxenEvent.StepLog(level, stage, text));
    }

    public Redactor redactor() {
        return redactor;
    }
}
