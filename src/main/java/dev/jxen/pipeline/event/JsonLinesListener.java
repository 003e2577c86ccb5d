package dev.jxen.pipeline.event;

import dev.jxen.system.Json;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes one JSON object per event and line (--json), for programs that drive jxen. */
public final class JsonLinesListener implements EventListener {
    private final PrintWriter out;

    public JsonLinesListener(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void on(JxenEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", e.type());
        m.put("time", java.time.Instant.now().toString());
        if (e instanceof JxenEvent.StageStarted s) {
            m.put("stage", s.stage());
            m.put("index", s.index());
            m.put("total", s.total());
        } else if (e instanceof JxenEvent.StepLog l) {
            m.put("level", l.level().name().toLowerCase());
            m.put("stage", l.stage());
            m.put("text", l.text());
        } else if (e instanceof JxenEvent.Progress p) {
            m.put("stage", p.stage());
            m.put("done", p.done());
            m.put("total", p.total());
            m.put("what", p.what());
            m.put("estimated", p.estimated());
        } else if (e instanceof JxenEvent.StageFinished f) {
            m.put("stage", f.stage());
            m.put("elapsed_ms", f.elapsedMillis());
        } else if (e instanceof JxenEvent.StageFailed f) {
            m.put("stage", f.stage());
            m.put("message", f.message());
            m.put("hint", f.hint());
        } else if (e instanceof JxenEvent.Summary s) {
            m.put("success", s.success());
            m.putAll(s.fields());
        }
        out.println(Json.write(m));
        out.flush();
    }
}
