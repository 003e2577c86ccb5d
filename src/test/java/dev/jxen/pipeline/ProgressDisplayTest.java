package dev.jxen.pipeline;

import dev.jxen.pipeline.event.ConsoleListener;
import dev.jxen.pipeline.event.JsonLinesListener;
import dev.jxen.pipeline.event.JxenEvent;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A percentage that is a guess is shown as one; a count is shown as it is. */
class ProgressDisplayTest {
    @Test
    void anEstimateIsMarkedOnTheConsoleAndInJson() {
        StringWriter text = new StringWriter();
        ConsoleListener console = new ConsoleListener(new PrintWriter(text, true), false, false, false);
        console.on(new JxenEvent.Progress("base install", 45, 100, "retrieving packages", true));
        console.on(new JxenEvent.Progress("base install", 60, 100, "unpacking cached base tree", false));
        assertTrue(text.toString().contains("~ 45% retrieving packages"), text.toString());
        assertTrue(text.toString().contains("   60% unpacking cached base tree"), text.toString());
        StringWriter json = new StringWriter();
        new JsonLinesListener(new PrintWriter(json, true)).on(new JxenEvent.Progress("base install", 45, 100, "retrieving packages", true));
        assertTrue(json.toString().contains("\"estimated\":true"), json.toString());
    }
}
