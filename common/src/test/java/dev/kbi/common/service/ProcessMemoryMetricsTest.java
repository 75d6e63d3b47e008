package dev.kbi.common.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ProcessMemoryMetricsTest {

    @Test
    void exportsThisProcesssResidentMemoryAndItsPeak() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ProcessMemoryMetrics().bindTo(registry);
        double rss = registry.get("process.resident.memory").gauge().value();
        double peak = registry.get("process.resident.memory.max").gauge().value();
        // A JVM running tests holds tens of megabytes at least, and never more than its peak.
        assertTrue(rss > 20e6 && rss <= peak, rss + " <= " + peak);
    }
}
