package dev.kbi.common.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * Per-stage counters and timers, exported by each service at {@code /q/metrics} (Prometheus): for
 * operators, per service and across every job it ran (rates, dashboards, alerts). Busy,
 * wait-for-input and wait-for-output time together tell which stage is the bottleneck, as Ray
 * Data's per-operator stats do. A job's own counts are not read from here: they are its status,
 * summed from the stages' committed job events ({@code GET /jobs/{id}} on the writer). The row
 * counters count as the events do (an unreadable block counts the rows its header declares), so
 * the two agree for a pipeline that runs one job at a time.
 */
public final class StageMetrics {

    private final Counter rowsIn;
    private final Counter rowsOut;
    private final Counter rowsDeadLettered;
    private final Counter blocksIn;
    private final Timer busy;
    private final Timer waitInput;
    private final Timer waitOutput;

    public StageMetrics(MeterRegistry registry, String stage) {
        rowsIn = Counter.builder("kbi.stage.rows.in").tag("stage", stage)
                .description("Rows consumed by the stage").register(registry);
        rowsOut = Counter.builder("kbi.stage.rows.out").tag("stage", stage)
                .description("Rows emitted (or written, for the writer) by the stage").register(registry);
        rowsDeadLettered = Counter.builder("kbi.stage.rows.dead.lettered").tag("stage", stage)
                .description("Rows the stage sent to the dead-letter topic").register(registry);
        blocksIn = Counter.builder("kbi.stage.blocks.in").tag("stage", stage)
                .description("Blocks consumed by the stage").register(registry);
        busy = Timer.builder("kbi.stage.busy").tag("stage", stage)
                .description("Time spent processing blocks").register(registry);
        waitInput = Timer.builder("kbi.stage.wait.input").tag("stage", stage)
                .description("Time spent polling with nothing to process").register(registry);
        waitOutput = Timer.builder("kbi.stage.wait.output").tag("stage", stage)
                .description("Time spent waiting for output acknowledgements and commits").register(registry);
    }

    /** Metrics kept in memory only, for tests and tools without a registry. */
    public static StageMetrics inMemory(String stage) {
        return new StageMetrics(new SimpleMeterRegistry(), stage);
    }

    public void rowsIn(int rows) {
        rowsIn.increment(rows);
        blocksIn.increment();
    }

    public void rowsOut(int rows) {
        rowsOut.increment(rows);
    }

    public void rowsDeadLettered(int rows) {
        rowsDeadLettered.increment(rows);
    }

    public void busyNanos(long nanos) {
        busy.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void waitInputNanos(long nanos) {
        waitInput.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void waitOutputNanos(long nanos) {
        waitOutput.record(nanos, TimeUnit.NANOSECONDS);
    }

    public double rowsInTotal() {
        return rowsIn.count();
    }

    public double rowsOutTotal() {
        return rowsOut.count();
    }

    public double rowsDeadLetteredTotal() {
        return rowsDeadLettered.count();
    }

    /** Average rows per block consumed so far (from the blocks' row-count headers), NaN before the first. */
    public double rowsPerBlock() {
        double blocks = blocksIn.count();
        return blocks == 0 ? Double.NaN : rowsIn.count() / blocks;
    }
}
