package dev.kbi.common.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LagMonitorTest {

    @Test
    void theGaugeFollowsTheLagAndKeepsItsLastValueWhenAReadFails() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong lag = new AtomicLong(7);
        try (LagMonitor monitor = new LagMonitor("inference", () -> {
            if (lag.get() < 0) {
                throw new IllegalStateException("broker away");
            }
            return new ConsumerLag.Lag(lag.get(), lag.get() * 1000);
        }, () -> 32.0, registry)) {
            assertTrue(registry.find("kbi.stage.lag.blocks").gauges().isEmpty(), "absent until the first read");
            assertTrue(registry.find("kbi.stage.lag.rows").gauges().isEmpty(), "absent until the first read");
            assertEquals(7, monitor.refresh());
            assertEquals(7, registry.get("kbi.stage.lag.blocks").tag("stage", "inference").gauge().value());
            assertEquals(7000, registry.get("kbi.stage.lag.bytes").tag("stage", "inference").gauge().value());
            assertEquals(7 * 32, registry.get("kbi.stage.lag.rows").tag("stage", "inference").gauge().value());
            lag.set(-1);
            assertThrows(IllegalStateException.class, monitor::refresh);
            assertEquals(7, monitor.lastLag(), "a failed read keeps the last value");
        }
    }

    @Test
    void theRowsGaugeWaitsForTheRowsPerBlockUnlessTheLagIsZero() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        java.util.concurrent.atomic.AtomicReference<Double> perBlock = new java.util.concurrent.atomic.AtomicReference<>(Double.NaN);
        AtomicLong lag = new AtomicLong(5);
        try (LagMonitor monitor = new LagMonitor("writer", () -> new ConsumerLag.Lag(lag.get(), 0), perBlock::get,
                registry)) {
            monitor.refresh();
            assertEquals(5, registry.get("kbi.stage.lag.blocks").gauge().value());
            assertTrue(registry.find("kbi.stage.lag.rows").gauges().isEmpty(), "rows unknown: absent, not NaN or -1");
            perBlock.set(10.0);
            monitor.refresh();
            assertEquals(50, registry.get("kbi.stage.lag.rows").gauge().value());
        }
        SimpleMeterRegistry idle = new SimpleMeterRegistry();
        try (LagMonitor monitor = new LagMonitor("writer", () -> new ConsumerLag.Lag(0, 0), () -> Double.NaN, idle)) {
            monitor.refresh();
            assertEquals(0, idle.get("kbi.stage.lag.rows").gauge().value(), "no lag is zero rows, whatever the block size");
        }
    }
}
