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
 * {@code kbi_stage_lag_bytes} (absent until the first successful read), and logged while the stage has a
 * backlog. Reads that fail keep the last value and are logged, never thrown.
 */
public final class LagMonitor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LagMonitor.class);
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(30).toNanos();

    private final String stage;
    private final Supplier<ConsumerLag.Lag> readLag;
    private final DoubleSupplier rowsPerBlock;
    private final MeterRegistry registry;
    private final AtomicLong lastLag = new AtomicLong(-1);
    private final AtomicLong lastBytes = new AtomicLong(-1);
    private boolean blocksRegistered;
    private boolean rowsRegistered;
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
        this.rowsPerBlock = rowsPerBlock;
        this.registry = registry;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "kbi-lag-" + stage));
    }

    /**
     * Registers the gauges once there is something true to say: blocks and bytes after the first
     * successful read, rows once the rows per block are known too (or the lag is zero). Before that they
     * are absent from the scrape, not a placeholder value.
     */
    private synchronized void registerGauges(long lag) {
        if (!blocksRegistered) {
            Gauge.builder("kbi.stage.lag.blocks", lastLag, AtomicLong::get).tag("stage", stage)
                    .description("Records (blocks) of the stage's input not yet committed by its group")
                    .register(registry);
            Gauge.builder("kbi.stage.lag.bytes", lastBytes, AtomicLong::get).tag("stage", stage).baseUnit("bytes")
                    .description("Estimated bytes (as stored on the broker) of the lagging records")
                    .register(registry);
            blocksRegistered = true;
        }
        if (!rowsRegistered && (lag == 0 || !Double.isNaN(rowsPerBlock.getAsDouble()))) {
            Gauge.builder("kbi.stage.lag.rows", lastLag, this::lagRows).tag("stage", stage)
                    .description("Lagging blocks times the average rows per block the stage has consumed")
                    .register(registry);
            rowsRegistered = true;
        }
    }

    private double lagRows(AtomicLong blocks) {
        double perBlock = rowsPerBlock.getAsDouble();
        return blocks.get() == 0 ? 0 : Double.isNaN(perBlock) ? 0 : blocks.get() * perBlock;
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
        registerGauges(lag);
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
