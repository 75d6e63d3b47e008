package dev.kbi.launcher;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls each service's row counters and prints one progress line per interval; remembers when
 * each stage's count last moved, for the rows/s of the summary.
 *
 * <p>A job's figures are counted from when it was submitted: a service's counters span every job it
 * ran, so what they read at construction is subtracted (a reader not up yet reads as zero). On a
 * pipeline that runs one job at a time this is exactly the job's share; jobs that overlap share it.
 */
final class StageProgress {

    /** Counter that says how many rows a stage has finished. */
    static final String ROWS_OUT = "kbi_stage_rows_out_total";
    static final String ROWS_DEAD = "kbi_stage_rows_dead_lettered_total";

    private final List<ServiceProcess> services;
    private final long startNanos = System.nanoTime();
    /** When the first row was seen anywhere: the rates' clock starts there, not at JVM start. */
    private long firstRowNanos;
    private final Map<String, Double> rows = new LinkedHashMap<>();
    /** Each service's counters when the job was submitted. */
    private final Map<String, StageStats.Counters> baseline = new LinkedHashMap<>();
    private final Map<String, Long> lastMoveNanos = new LinkedHashMap<>();
    private double deadLetters;

    /** @param order the stages' names in pipeline order, for printing */
    StageProgress(List<ServiceProcess> services, List<String> order) {
        this.services = services.stream()
                .sorted(java.util.Comparator.comparingInt(s -> order.indexOf(s.name()))).toList();
        this.services.forEach(s -> {
            rows.put(s.name(), 0.0);
            lastMoveNanos.put(s.name(), startNanos);
            baseline.put(s.name(), StageStats.Counters.read(s));
        });
    }

    /** Reads the counters once. */
    void poll() {
        double dead = 0;
        for (ServiceProcess service : services) {
            StageStats.Counters since = baseline.get(service.name());
            double now = service.metric(ROWS_OUT, service.name()).stream().map(v -> v - since.rowsOut()).findFirst()
                    .orElse(rows.get(service.name()));
            if (now != rows.get(service.name())) {
                rows.put(service.name(), now);
                lastMoveNanos.put(service.name(), System.nanoTime());
                if (firstRowNanos == 0) {
                    firstRowNanos = System.nanoTime();
                }
            }
            dead += service.metric(ROWS_DEAD, service.name()).orElse(since.rowsDeadLettered())
                    - since.rowsDeadLettered();
        }
        deadLetters = dead;
    }

    void print(PrintStream out, long totalRows) {
        StringBuilder line = new StringBuilder(String.format("[%6.1fs]", seconds(System.nanoTime())));
        rows.forEach((stage, count) -> line.append(String.format("  %s %,d", stage, count.longValue())));
        if (totalRows > 0) {
            line.append(String.format("  of %,d", totalRows));
        }
        line.append(String.format("  | dead letters %,d", (long) deadLetters));
        out.println(line);
    }

    /** Each stage's figures, read from the services now (call before they stop). */
    List<StageStats> stageStats() {
        Map<String, double[]> rates = ratesPerStage();
        return services.stream()
                .map(s -> StageStats.read(s, (long) rates.get(s.name())[0], rates.get(s.name())[1],
                        baseline.get(s.name())))
                .toList();
    }

    /**
     * Rows a stage finished, and its rows/s from the first row seen in the pipeline until the stage's
     * count last moved (the counters are sampled every 200 ms, so small jobs give rough rates).
     */
    Map<String, double[]> ratesPerStage() {
        Map<String, double[]> rates = new LinkedHashMap<>();
        rows.forEach((stage, count) -> {
            double elapsed = (lastMoveNanos.get(stage) - firstRowNanos) / 1e9;
            // Within one sampling period the rate cannot be told: NaN, printed as "-".
            rates.put(stage, new double[] {count, elapsed >= 0.2 ? count / elapsed : Double.NaN});
        });
        return rates;
    }

    double deadLetters() {
        return deadLetters;
    }

    double elapsedSeconds() {
        return seconds(System.nanoTime());
    }

    private double seconds(long nanos) {
        return (nanos - startNanos) / 1e9;
    }
}
