package dev.kbi.reader.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.lag.ConsumerLag;
import dev.kbi.reader.Backpressure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DownstreamGateTest {

    private final AtomicLong lag = new AtomicLong();
    private final AtomicInteger measured = new AtomicInteger();

    private DownstreamGate gate(Duration checkInterval) {
        return new DownstreamGate(() -> {
            measured.incrementAndGet();
            return new ConsumerLag.Lag(lag.get(), lag.get() * 100);
        }, new Backpressure.Budget(10, -1, 0.5), checkInterval, new SimpleMeterRegistry());
    }

    @Test
    void holdsOnceOneMoreBlockWouldNotFitAndTakesInputAgainAtTheLowWatermark() {
        DownstreamGate gate = gate(Duration.ZERO);
        lag.set(9);
        assertTrue(gate.hasRoom(), "9 + 1 fits in 10");
        lag.set(10);
        assertFalse(gate.hasRoom());
        lag.set(6);
        assertFalse(gate.hasRoom(), "still above the low watermark (5)");
        lag.set(5);
        assertTrue(gate.hasRoom());
    }

    @Test
    void blocksSentBetweenMeasurementsAreCountedSoTheBudgetIsNeverOverrun() {
        DownstreamGate gate = gate(Duration.ofHours(1));
        lag.set(0);
        assertTrue(gate.hasRoom());
        assertEquals(1, measured.get());
        gate.sent(9);
        assertTrue(gate.hasRoom(), "0 + 9 sent + 1 fits in 10: no measurement needed");
        assertEquals(1, measured.get());
        gate.sent(1);
        lag.set(7);
        assertTrue(gate.hasRoom(), "10 sent + 1 would not fit: measured again (7 in flight), one more fits");
        assertEquals(2, measured.get());
        gate.sent(3);
        lag.set(10);
        assertFalse(gate.hasRoom());
        assertEquals(3, measured.get());
        assertFalse(gate.hasRoom(), "held until the next measurement is due");
        assertEquals(3, measured.get());
    }

    @Test
    void anUnreadableBacklogHoldsTheInput() {
        DownstreamGate gate = new DownstreamGate(() -> {
            throw new IllegalStateException("broker down");
        }, new Backpressure.Budget(10, -1, 0.5), Duration.ZERO, new SimpleMeterRegistry());
        assertFalse(gate.hasRoom());
    }
}
