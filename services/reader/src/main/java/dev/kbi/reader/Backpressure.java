package dev.kbi.reader;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Keeps the blocks in flight between the reader and the writer under a budget, as Ray Data's
 * streaming executor bounds what sits between operators: before each block the reader asks for
 * capacity; over the budget it waits until downstream consumer lag drops below the low watermark.
 * Memory then stays flat whatever the job's size.
 *
 * <p>The backlog is measured through the Admin API (consumer lag), which costs a few round trips,
 * so between measurements the blocks sent since are added to the last figure: the estimate never
 * undercounts, and the budget is never exceeded.
 */
final class Backpressure {

    private static final Logger LOG = Logger.getLogger(Backpressure.class);

    private final LongSupplier blocksInFlight;
    private final Runnable flushSent;
    private final long maxBlocks;
    private final long resumeBelowBlocks;
    private final Duration checkInterval;
    private final Counter waitSeconds;
    private final AtomicLong lastMeasured = new AtomicLong();
    private long sentSinceMeasure;
    private long lastMeasureNanos;

    /**
     * @param blocksInFlight measures the downstream backlog in blocks (consumer lag)
     * @param flushSent makes every block sent so far visible to the measurement (producer flush)
     * @param maxBlocks the budget: never more blocks in flight than this
     */
    Backpressure(LongSupplier blocksInFlight, Runnable flushSent, long maxBlocks, Duration checkInterval,
            MeterRegistry registry) {
        if (maxBlocks < 1) {
            throw new IllegalArgumentException("The in-flight budget must be at least one block, was " + maxBlocks);
        }
        this.blocksInFlight = blocksInFlight;
        this.flushSent = flushSent;
        this.maxBlocks = maxBlocks;
        this.resumeBelowBlocks = Math.max(0, maxBlocks / 2);
        this.checkInterval = checkInterval;
        this.waitSeconds = Counter.builder("kbi.reader.backpressure.wait").baseUnit("seconds")
                .description("Time the reader waited for downstream stages").register(registry);
        registry.gauge("kbi.reader.blocks.in.flight", lastMeasured);
    }

    long maxBlocks() {
        return maxBlocks;
    }

    /** Returns once one more block fits in the budget; waits (polling the lag) while it does not. */
    void awaitCapacity() throws InterruptedException {
        boolean due = System.nanoTime() - lastMeasureNanos >= checkInterval.toNanos();
        if (due || lastMeasured.get() + sentSinceMeasure + 1 > maxBlocks) {
            measure();
        }
        if (lastMeasured.get() + 1 > maxBlocks) {
            long start = System.nanoTime();
            LOG.debugf("Pausing: %d blocks in flight, budget %d", lastMeasured.get(), maxBlocks);
            while (lastMeasured.get() > resumeBelowBlocks) {
                Thread.sleep(checkInterval.toMillis());
                measure();
            }
            waitSeconds.increment((System.nanoTime() - start) / 1e9);
        }
        sentSinceMeasure++;
    }

    private void measure() {
        flushSent.run();
        lastMeasured.set(blocksInFlight.getAsLong());
        sentSinceMeasure = 0;
        lastMeasureNanos = System.nanoTime();
    }
}
