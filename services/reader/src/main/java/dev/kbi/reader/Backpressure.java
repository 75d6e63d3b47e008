package dev.kbi.reader;

import dev.kbi.common.lag.ConsumerLag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps what is in flight between the reader and the writer under a budget, in blocks and
 * optionally in bytes, as Ray Data's streaming executor bounds what sits between operators: before
 * each block the reader asks for capacity; over the budget it waits until downstream consumer lag
 * drops to the low watermark ({@link Budget#resumeAt}). Memory and topic storage then stay flat whatever the
 * job's size.
 *
 * <p>The backlog is measured through the Admin API (consumer lag; bytes as stored on the broker),
 * which costs a few round trips, so between measurements the blocks and bytes sent since are added
 * to the last figures: the estimate never undercounts, and the budget is never exceeded.
 */
public final class Backpressure {

    private static final Logger LOG = Logger.getLogger(Backpressure.class);

    /**
     * At most {@code maxBlocks} blocks and, when {@code maxBytes} > 0, that many bytes in flight; once
     * over, the reader resumes when both are at or under {@code resumeAt} of their budget (the low
     * watermark).
     */
    public record Budget(long maxBlocks, long maxBytes, double resumeAt) {

        /**
         * The low watermark when none is given: half the budget. A String, so that the configuration's
         * {@code @WithDefault} ({@code reader.backpressure.resume-at}) names this same value.
         */
        static final String DEFAULT_RESUME_AT = "0.5";

        public Budget {
            if (maxBlocks < 1) {
                throw new IllegalArgumentException("The in-flight budget must be at least one block, was " + maxBlocks);
            }
            if (!(resumeAt >= 0 && resumeAt < 1)) {
                throw new IllegalArgumentException("The low watermark is a fraction of the budget in [0, 1), was "
                        + resumeAt);
            }
        }

        /** The budget of {@code maxRows} rows in blocks of {@code blockRows} (at least one), and {@code bp}'s bytes and watermark. */
        public static Budget of(ReaderConfig.BackpressureConfig bp, long maxRows, int blockRows) {
            return new Budget(Math.max(1, (maxRows + blockRows - 1) / blockRows), bp.maxBytesInFlight().orElse(-1L),
                    bp.resumeAt());
        }

        Budget(long maxBlocks, long maxBytes) {
            this(maxBlocks, maxBytes, Double.parseDouble(DEFAULT_RESUME_AT));
        }

        public boolean exceededBy(long blocks, long bytes) {
            return blocks > maxBlocks || (maxBytes > 0 && bytes > maxBytes);
        }

        /** Resume once both are at or under the low watermark. */
        public boolean drainedTo(long blocks, long bytes) {
            return blocks <= (long) (maxBlocks * resumeAt) && (maxBytes <= 0 || bytes <= (long) (maxBytes * resumeAt));
        }
    }

    private final Supplier<ConsumerLag.Lag> inFlight;
    private final Runnable flushSent;
    private final Budget budget;
    private final Duration checkInterval;
    private final Counter waitSeconds;
    private final AtomicLong lastBlocks = new AtomicLong();
    private final AtomicLong lastBytes = new AtomicLong();
    private long blocksSinceMeasure;
    private long bytesSinceMeasure;
    private long lastMeasureNanos;

    /**
     * @param inFlight measures the downstream backlog (consumer lag in blocks and bytes)
     * @param flushSent makes every block sent so far visible to the measurement (producer flush)
     */
    Backpressure(Supplier<ConsumerLag.Lag> inFlight, Runnable flushSent, Budget budget, Duration checkInterval,
            MeterRegistry registry) {
        this.inFlight = inFlight;
        this.flushSent = flushSent;
        this.budget = budget;
        this.checkInterval = checkInterval;
        this.waitSeconds = Counter.builder("kbi.reader.backpressure.wait").baseUnit("seconds")
                .description("Time the reader waited for downstream stages").register(registry);
        registry.gauge("kbi.reader.blocks.in.flight", lastBlocks);
        registry.gauge("kbi.reader.bytes.in.flight", lastBytes);
    }

    Budget budget() {
        return budget;
    }

    /** Returns once one more block of {@code blockBytes} fits in the budget; waits (polling the lag) while it does not. */
    void awaitCapacity(long blockBytes) throws InterruptedException {
        boolean due = System.nanoTime() - lastMeasureNanos >= checkInterval.toNanos();
        if (due || budget.exceededBy(lastBlocks.get() + blocksSinceMeasure + 1,
                lastBytes.get() + bytesSinceMeasure + blockBytes)) {
            measure();
        }
        if (budget.exceededBy(lastBlocks.get() + 1, lastBytes.get() + blockBytes)) {
            long start = System.nanoTime();
            LOG.debugf("Pausing: %d blocks, %d bytes in flight; budget %s", lastBlocks.get(), lastBytes.get(), budget);
            while (!budget.drainedTo(lastBlocks.get(), lastBytes.get())) {
                Thread.sleep(checkInterval.toMillis());
                measure();
            }
            waitSeconds.increment((System.nanoTime() - start) / 1e9);
        }
        blocksSinceMeasure++;
        bytesSinceMeasure += blockBytes;
    }

    private void measure() throws InterruptedException {
        flushSent.run();
        ConsumerLag.Lag lag = readLagRetrying();
        lastBlocks.set(lag.records());
        lastBytes.set(Math.max(0, lag.bytes()));
        blocksSinceMeasure = 0;
        bytesSinceMeasure = 0;
        lastMeasureNanos = System.nanoTime();
    }

    /**
     * The backlog, read again every check interval while it cannot be read (the broker restarting):
     * the reader then waits, as its sends would, instead of failing the job.
     */
    private ConsumerLag.Lag readLagRetrying() throws InterruptedException {
        long failingSince = 0;
        while (true) {
            try {
                ConsumerLag.Lag lag = inFlight.get();
                if (failingSince != 0) {
                    LOG.infof("Downstream lag readable again after %d ms", (System.nanoTime() - failingSince) / 1_000_000);
                }
                return lag;
            } catch (RuntimeException e) {
                if (failingSince == 0) {
                    failingSince = System.nanoTime();
                    LOG.warnf("Cannot read the downstream lag (%s): waiting, and retrying every %s", e.getMessage(),
                            checkInterval);
                }
                Thread.sleep(checkInterval.toMillis());
            }
        }
    }
}
