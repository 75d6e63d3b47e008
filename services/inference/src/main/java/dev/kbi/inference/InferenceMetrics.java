package dev.kbi.inference;

import dev.kbi.inference.batch.BusyTime;
import dev.kbi.inference.batch.ModelListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The model's own metrics at {@code /q/metrics}: {@code kbi_inference_model_batches_total},
 * {@code kbi_inference_model_rows_total} (their ratio is the mean batch fill),
 * {@code kbi_inference_model_busy_seconds_total} and {@code kbi_inference_model_busy_ratio}, the
 * fraction of the model threads' wall time spent in model calls over the last
 * {@value #WINDOW_SECONDS} s: near 1 means the model is the bottleneck and never waits for Kafka.
 * Two histograms (Prometheus buckets, for {@code histogram_quantile}): the latency of each model call,
 * {@code kbi_inference_model_batch_latency_seconds}, and the rows in it, {@code kbi_inference_model_batch_rows}.
 */
public final class InferenceMetrics implements ModelListener {

    static final int WINDOW_SECONDS = 10;

    private final Counter batches;
    private final Counter rows;
    private final BusyTime busy;
    private final Timer batchLatency;
    private final DistributionSummary batchRows;
    /** When each model thread's call began (nanoTime), for the latency histogram. */
    private final long[] started;

    public InferenceMetrics(MeterRegistry registry, int modelThreads) {
        batches = Counter.builder("kbi.inference.model.batches")
                .description("Model calls (model batches) run").register(registry);
        rows = Counter.builder("kbi.inference.model.rows")
                .description("Rows run through the model").register(registry);
        busy = new BusyTime(modelThreads, Duration.ofSeconds(WINDOW_SECONDS), System::nanoTime);
        FunctionCounter.builder("kbi.inference.model.busy", busy, b -> b.busyNanos() / 1e9)
                .baseUnit("seconds")
                .description("Time the model threads spent in model calls, summed over threads").register(registry);
        Gauge.builder("kbi.inference.model.busy.ratio", busy, BusyTime::ratio)
                .description("Fraction of the model threads' wall time spent in model calls, last "
                        + WINDOW_SECONDS + " s")
                .register(registry);
        batchLatency = Timer.builder("kbi.inference.model.batch.latency")
                .description("Time of one model call (a model batch: preprocessed rows in, predictions out)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        batchRows = DistributionSummary.builder("kbi.inference.model.batch.rows")
                .description("Rows in one model call (at most inference.batch-size)")
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(4096.0)
                .register(registry);
        started = new long[Math.max(1, modelThreads)];
    }

    @Override
    public void batchStarted(int thread) {
        busy.begin(thread);
        started[thread] = System.nanoTime();
    }

    @Override
    public void batchEnded(int thread, int batchRows) {
        busy.end(thread);
        batchLatency.record(System.nanoTime() - started[thread], TimeUnit.NANOSECONDS);
        batches.increment();
        rows.increment(batchRows);
        this.batchRows.record(batchRows);
    }

    /** The busy clock behind the gauges (for benchmarks and tests). */
    public BusyTime busyTime() {
        return busy;
    }
}
