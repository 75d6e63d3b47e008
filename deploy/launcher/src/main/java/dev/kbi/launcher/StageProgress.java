package dev.kbi.launcher;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's progress, polled from its status on the writer ({@code GET /jobs/{id}}), and printed one
 * line per interval. The rows per stage and the dead letters are the job's own, from the stages'
 * committed events: other jobs and records that belong to no job never count.
 *
 * <p>Where each stage's time went (busy, waiting) is read from its service's metrics, which span
 * every job the service ran: what they read at construction is subtracted, which is exactly the
 * job's share on a pipeline that runs one job at a time (jobs that overlap share it).
 */
final class StageProgress {

    /** Counter of the rows a stage has finished, over every job: what the fault tests wait on. */
    static final String ROWS_OUT = "kbi_stage_rows_out_total";

    private final String jobId;
    private ServiceProcess writer;
    private final List<ServiceProcess> services;
    /** Restarts of each service during the job, shown on the progress line. */
    private final Map<String, Integer> restarts = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    /** Each service's counters when the job was submitted. */
    private final Map<String, StageStats.Counters> baseline = new LinkedHashMap<>();
    private JobStatusView status = JobStatusView.NONE;

    /**
     * @param services the job's services; the writer among them answers for the job's status
     * @param order the stages' names in pipeline order, for printing
     */
    StageProgress(String jobId, List<ServiceProcess> services, List<String> order, String writerStage) {
        this.jobId = jobId;
        this.services = new java.util.ArrayList<>(services.stream()
                .sorted(java.util.Comparator.comparingInt(s -> order.indexOf(s.name()))).toList());
        this.writer = services.stream().filter(s -> s.name().equals(writerStage)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No " + writerStage + " among the job's services"));
        this.services.forEach(s -> baseline.put(s.name(), StageStats.Counters.read(s)));
    }

    /**
     * Follows a service that was restarted during the job: its figures come from the new process, whose
     * counters start at zero (what the exited one had done is in the job's status, not in its time
     * figures).
     */
    void replace(ServiceProcess exited, ServiceProcess restarted) {
        services.replaceAll(s -> s == exited ? restarted : s);
        if (writer == exited) {
            writer = restarted;
        }
        baseline.put(restarted.name(), StageStats.Counters.NONE);
        restarts.merge(restarted.name(), 1, Integer::sum);
    }

    /** Reads the job's status once; keeps the last one while the writer does not answer. */
    void poll() {
        writer.getOk("/jobs/" + jobId).ifPresent(this::accept);
    }

    /** Takes {@code json} as the job's status, if it is one (the final one, read by the caller). */
    void accept(String json) {
        if (json != null) {
            JobStatusView.parse(json).ifPresent(view -> status = view);
        }
    }

    void print(PrintStream out, long totalRows) {
        StringBuilder line = new StringBuilder(String.format("[%6.1fs]", seconds(System.nanoTime())));
        services.forEach(s -> line.append(String.format("  %s %,d", s.name(), status.rowsOut(s.name()))));
        if (totalRows > 0) {
            line.append(String.format("  of %,d", totalRows));
        }
        line.append(String.format("  | dead letters %,d", status.rowsDeadLettered()));
        restarts.forEach((service, count) -> line.append(String.format("  | %s restarted x%d", service, count)));
        out.println(line);
    }

    /** Each stage's figures: rows and rates from the job's status, time and memory from its service now. */
    List<StageStats> stageStats() {
        return services.stream()
                .map(s -> StageStats.read(s, status.rowsOut(s.name()), status.rowsPerSecond(s.name()),
                        baseline.get(s.name())))
                .toList();
    }

    /** The job's dead-lettered rows, as its status says. */
    long deadLetters() {
        return status.rowsDeadLettered();
    }

    double elapsedSeconds() {
        return seconds(System.nanoTime());
    }

    private double seconds(long nanos) {
        return (nanos - startNanos) / 1e9;
    }
}
