package dev.kbi.common.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
            double unread = registry.get("kbi.stage.lag.blocks").tag("stage", "inference").gauge().value();
            assertEquals(-1, unread, "-1 until the first read");
            assertEquals(7, monitor.refresh());
            assertEquals(7, registry.get("kbi.stage.lag.blocks").tag("stage", "inference").gauge().value());
            assertEquals(7000, registry.get("kbi.stage.lag.bytes").tag("stage", "inference").gauge().value());
            assertEquals(7 * 32, registry.get("kbi.stage.lag.rows").tag("stage", "inference").gauge().value());
            lag.set(-1);
            assertThrows(IllegalStateException.class, monitor::refresh);
            assertEquals(7, monitor.lastLag(), "a failed read keeps the last value");
        }
    }
}
