package dev.kbi.inference.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BusyTimeTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

    @Test
    void countsFinishedAndRunningBatches() {
        BusyTime busy = new BusyTime(1, Duration.ofSeconds(10), clock::get);
        busy.begin(0);
        clock.addAndGet(3 * SECOND);
        busy.end(0);
        clock.addAndGet(SECOND);
        busy.begin(0);
        clock.addAndGet(SECOND);
        assertEquals(4 * SECOND, busy.busyNanos(), "3 s done + 1 s of the batch still running");
        assertEquals(0.8, busy.ratio(), 1e-9);
    }

    @Test
    void theRatioForgetsWhatIsOlderThanTheWindow() {
        BusyTime busy = new BusyTime(1, Duration.ofSeconds(10), clock::get);
        busy.begin(0);
        clock.addAndGet(20 * SECOND); // busy for 20 s...
        busy.end(0);
        for (int i = 0; i < 20; i++) { // ...then idle for 20 s, read every second
            clock.addAndGet(SECOND);
            busy.ratio();
        }
        assertEquals(0.0, busy.ratio(), 1e-9);
        busy.begin(0);
        clock.addAndGet(5 * SECOND);
        assertEquals(0.5, busy.ratio(), 0.11, "5 s busy in the last ~10 s");
    }

    @Test
    void dividesByTheNumberOfModelThreads() {
        BusyTime busy = new BusyTime(2, Duration.ofSeconds(10), clock::get);
        busy.begin(0);
        clock.addAndGet(4 * SECOND);
        busy.end(0);
        assertEquals(0.5, busy.ratio(), 1e-9, "one of two threads busy all the time");
    }
}
