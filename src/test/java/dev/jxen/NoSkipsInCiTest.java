package dev.jxen;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/** The extension that turns skips into failures in CI is active for every test class. */
class NoSkipsInCiTest {
    /** A test that always skips; run only by the test below, through its own launcher. */
    static class AlwaysSkips {
        @Test
        void skips() {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "a capability is missing");
        }
    }

    @Test
    void aSkipIsAFailureExactlyWhenCiIsSet() {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request().selectors(DiscoverySelectors.selectClass(AlwaysSkips.class))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true").build(), summary);
        boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank() && !System.getenv("CI").equals("false");
        assertEquals(ci ? 1 : 0, summary.getSummary().getTestsFailedCount(), "failed");
        assertEquals(ci ? 0 : 1, summary.getSummary().getTestsAbortedCount(), "skipped");
    }
}
