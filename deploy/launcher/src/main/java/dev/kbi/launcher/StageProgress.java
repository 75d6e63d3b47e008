package dev.kbi.launcher;

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
    /** Each service's figures at the last frame, and its smoothed rate: for rates and the busiest stage. */
    private final Map<String, Sample> samples = new LinkedHashMap<>();
    private final Map<String, Double> rates = new LinkedHashMap<>();

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

    /**
     * The job's progress now: its rows per stage and total from its status; the current rates, each stage's
     * lag, consumers and busy share over the last interval, and the reader's backpressure, from one scrape of
     * each service's metrics.
     */
    ProgressFrame frame() {
        long now = System.nanoTime();
        List<ProgressFrame.Stage> stages = new java.util.ArrayList<>();
        String busiest = null;
        double busiestShare = 0;
        boolean backpressure = false;
        for (ServiceProcess service : services) {
            String name = service.name();
            String metrics = service.getOk("/q/metrics").orElse("");
            Sample sample = Sample.of(status.rowsOut(name), now, metrics, name);
            Sample previous = samples.put(name, sample);
            double rate = Double.NaN;
            if (previous != null && now > previous.nanos()) {
                double instant = (sample.rows() - previous.rows()) / ((now - previous.nanos()) / 1e9);
                double last = rates.getOrDefault(name, Double.NaN);
                rate = Double.isNaN(last) ? instant : 0.5 * last + 0.5 * instant; // smoothed over ~2 s
                rates.put(name, rate);
                double share = sample.busyShareSince(previous);
                if (share > busiestShare) {
                    busiestShare = share;
                    busiest = name;
                }
                backpressure |= sample.backpressureWait() > previous.backpressureWait();
            }
            stages.add(new ProgressFrame.Stage(name, sample.rows(), rate, sample.lagRows(), sample.consumers(),
                    status.rowsDeadLettered(name), false));
        }
        String bottleneck = busiest;
        return new ProgressFrame(jobId, seconds(now), status.totalRows(), backpressure, stages.stream()
                .map(s -> s.name().equals(bottleneck) ? new ProgressFrame.Stage(s.name(), s.rows(), s.rowsPerSecond(),
                        s.lagRows(), s.consumers(), s.deadLetters(), true) : s)
                .toList(), Map.copyOf(restarts));
    }

    /**
     * One service's figures at one poll.
     *
     * @param lagRows -1 where the service reports none (the reader) or it is not known yet
     * @param consumers -1 where the service runs no consumers for the stage (the reader)
     */
    private record Sample(long rows, long nanos, long lagRows, int consumers, double busySeconds, double waitSeconds,
            double backpressureWait) {

        static Sample of(long rows, long nanos, String metrics, String stage) {
            double lag = PrometheusText.sum(metrics, "kbi_stage_lag_rows", "stage", stage).orElse(-1);
            double consumers = PrometheusText.sum(metrics, "kbi_stage_consumers", "stage", stage).orElse(-1);
            return new Sample(rows, nanos, lag < 0 ? -1 : Math.round(lag), (int) consumers,
                    PrometheusText.sum(metrics, "kbi_stage_busy_seconds_sum", "stage", stage).orElse(0),
                    PrometheusText.sum(metrics, "kbi_stage_wait_input_seconds_sum", "stage", stage).orElse(0)
                            + PrometheusText.sum(metrics, "kbi_stage_wait_output_seconds_sum", "stage", stage).orElse(0),
                    PrometheusText.value(metrics, "kbi_reader_backpressure_wait_seconds_total").orElse(0));
        }

        /** Share of the stage's accounted time spent busy since {@code earlier}. */
        double busyShareSince(Sample earlier) {
            double busy = busySeconds - earlier.busySeconds;
            double total = busy + waitSeconds - earlier.waitSeconds;
            return total > 0 ? busy / total : 0;
        }
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
