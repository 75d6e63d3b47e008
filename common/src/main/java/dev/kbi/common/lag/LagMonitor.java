package dev.kbi.common.lag;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A stage's consumer lag as a first-class metric: read periodically (Admin API, through
 * {@link ConsumerLag}) and exported as the gauges {@code kbi_stage_lag_blocks{stage=...}} — the
 * number KEDA's Kafka scaler and {@code kafka-consumer-groups.sh} see — and
 * {@code kbi_stage_lag_bytes}, and logged while the stage has a backlog. Reads that fail keep the last value and are logged, never thrown.
 */
public final class LagMonitor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LagMonitor.class);
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(30).toNanos();

    private final String stage;
    private final Supplier<ConsumerLag.Lag> readLag;
    private final AtomicLong lastLag = new AtomicLong(-1);
    private final AtomicLong lastBytes = new AtomicLong(-1);
    private final ScheduledExecutorService timer;
    private long lastLoggedNanos;

    public LagMonitor(String stage, Supplier<ConsumerLag.Lag> readLag, MeterRegistry registry) {
        this(stage, readLag, () -> Double.NaN, registry);
    }

    /**
     * @param rowsPerBlock the stage's average rows per consumed block (from the blocks' headers), which
     *        turns the lag in blocks into the gauge {@code kbi_stage_lag_rows}
     */
    public LagMonitor(String stage, Supplier<ConsumerLag.Lag> readLag, DoubleSupplier rowsPerBlock,
            MeterRegistry registry) {
        this.stage = stage;
        this.readLag = readLag;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "kbi-lag-" + stage));
        Gauge.builder("kbi.stage.lag.blocks", lastLag, AtomicLong::get).tag("stage", stage)
                .description("Records (blocks) of the stage's input not yet committed by its group; -1 until read")
                .register(registry);
        Gauge.builder("kbi.stage.lag.rows", lastLag, lag -> lag.get() < 0 ? -1 : lag.get() * rowsPerBlock.getAsDouble())
                .tag("stage", stage)
                .description("Lagging blocks times the average rows per block consumed so far (NaN before the first)")
                .register(registry);
        Gauge.builder("kbi.stage.lag.bytes", lastBytes, AtomicLong::get).tag("stage", stage).baseUnit("bytes")
                .description("Estimated bytes (as stored on the broker) of the lagging records; -1 until read")
                .register(registry);
    }

    /** Reads the lag every {@code interval}, starting now. */
    public void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the lag now, updates the gauges and returns it in records (blocks). */
    public long refresh() {
        ConsumerLag.Lag read = readLag.get();
        long lag = read.records();
        lastLag.set(lag);
        lastBytes.set(read.bytes());
        if (lag > 0 && System.nanoTime() - lastLoggedNanos >= LOG_EVERY_NANOS) {
            LOG.infof("Stage %s: %d blocks (%,d bytes) waiting in its input topics", stage, lag, read.bytes());
            lastLoggedNanos = System.nanoTime();
        }
        return lag;
    }

    /** The last lag read, or -1 before the first successful read. */
    public long lastLag() {
        return lastLag.get();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.debugf("Stage %s: lag not read this time: %s", stage, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
