package dev.kbi.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.lag.ConsumerLag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The budget's rules on a scripted backlog (the broker-backed measurement is BackpressureIT's). */
class BackpressureTest {

    private final AtomicReference<ConsumerLag.Lag> backlog = new AtomicReference<>(ConsumerLag.Lag.NONE);

    private Backpressure backpressure(long maxBlocks, long maxBytes) {
        return backpressure(new Backpressure.Budget(maxBlocks, maxBytes));
    }

    private Backpressure backpressure(Backpressure.Budget budget) {
        return new Backpressure(backlog::get, () -> { }, budget, Duration.ofMillis(5), new SimpleMeterRegistry());
    }

    @Test
    void aBlockThatWouldPassTheBytesBudgetWaitsUntilTheBacklogDrainsToHalfOfIt() throws Exception {
        Backpressure gate = backpressure(100, 1_000);
        backlog.set(new ConsumerLag.Lag(2, 900));

        CompletableFuture<Void> next = CompletableFuture.runAsync(() -> await(gate, 200));
        Thread.sleep(100);
        assertFalse(next.isDone(), "900 + 200 bytes > 1000: the reader waits");
        backlog.set(new ConsumerLag.Lag(1, 600));
        Thread.sleep(100);
        assertFalse(next.isDone(), "600 bytes is above the low watermark of 500");
        backlog.set(new ConsumerLag.Lag(1, 400));
        next.get(5, TimeUnit.SECONDS);
    }

    @Test
    void blocksSentBetweenMeasurementsCountAgainstTheBudget() throws Exception {
        // Measured at most once a second: the calls below run well within one interval.
        Backpressure gate = new Backpressure(backlog::get, () -> { }, new Backpressure.Budget(100, 1_000),
                Duration.ofSeconds(1), new SimpleMeterRegistry());
        await(gate, 400);
        await(gate, 400); // 800 estimated: still fits without a new measurement
        backlog.set(new ConsumerLag.Lag(3, 1_000));
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> await(gate, 400));
        Thread.sleep(300);
        assertFalse(third.isDone(), "800 + 400 > 1000 forces a measurement, which shows the backlog full");
        backlog.set(ConsumerLag.Lag.NONE);
        third.get(5, TimeUnit.SECONDS);
    }

    @Test
    void anUnreadableBacklogIsRetriedInsteadOfFailingTheJob() throws Exception {
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(3);
        Backpressure gate = new Backpressure(() -> {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("Could not read the lag: TimeoutException");
            }
            return ConsumerLag.Lag.NONE;
        }, () -> { }, new Backpressure.Budget(4, -1), Duration.ofMillis(5), new SimpleMeterRegistry());
        gate.awaitCapacity(1);
        assertTrue(failures.get() < 0, "read until it worked");
    }

    @Test
    void aHigherLowWatermarkResumesSooner() throws Exception {
        Backpressure gate = backpressure(new Backpressure.Budget(10, -1, 0.8));
        backlog.set(new ConsumerLag.Lag(10, 0));

        CompletableFuture<Void> next = CompletableFuture.runAsync(() -> await(gate, 1));
        Thread.sleep(100);
        assertFalse(next.isDone(), "10 + 1 blocks > 10: the reader waits");
        backlog.set(new ConsumerLag.Lag(9, 0));
        Thread.sleep(100);
        assertFalse(next.isDone(), "9 blocks is above the low watermark of 8");
        backlog.set(new ConsumerLag.Lag(8, 0));
        next.get(5, TimeUnit.SECONDS);
    }

    @Test
    void theLowWatermarkIsAFractionBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new Backpressure.Budget(10, -1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new Backpressure.Budget(10, -1, -0.1));
        assertEquals(0.5, new Backpressure.Budget(10, -1).resumeAt());
    }

    @Test
    void withoutABytesBudgetOnlyBlocksCount() {
        Backpressure.Budget blocksOnly = new Backpressure.Budget(4, -1);
        assertFalse(blocksOnly.exceededBy(4, Long.MAX_VALUE));
        assertTrue(blocksOnly.exceededBy(5, 0));
        assertTrue(blocksOnly.drainedTo(2, Long.MAX_VALUE));
        assertEquals(-1, backpressure(4, -1).budget().maxBytes());
    }

    private static void await(Backpressure gate, long bytes) {
        try {
            gate.awaitCapacity(bytes);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
