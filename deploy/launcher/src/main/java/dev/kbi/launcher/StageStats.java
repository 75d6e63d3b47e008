package dev.kbi.launcher;

/**
 * One stage's figures at the end of a job: its rows and rows/s from the job's status, and, read
 * from its service before it stops, where its time went (busy, waiting for input, waiting for output acknowledgements and commits) and its peak
 * memory. The stage with the largest busy share is the pipeline's bottleneck, as in Ray Data's stats.
 *
 * @param stage the stage (service) name
 * @param rows rows of the job the stage passed on (the writer: wrote), from the job's status
 * @param rowsPerSecond those rows over the time from the job's first row anywhere to the stage's last commit
 * @param busySeconds time spent processing blocks, summed over the stage's workers
 * @param waitInputSeconds time spent polling with nothing to do
 * @param waitOutputSeconds time spent waiting for acknowledgements and commits
 * @param peakRssBytes the service process's peak resident memory (VmHWM), or -1 where unknown
 * @param modelBusySeconds time the model computed (inference only, summed over model threads), NaN elsewhere
 */
public record StageStats(String stage, long rows, double rowsPerSecond, double busySeconds, double waitInputSeconds,
        double waitOutputSeconds, long peakRssBytes, double modelBusySeconds) {

    /** Share of the stage's accounted time spent busy. */
    public double busyShare() {
        double total = busySeconds + waitInputSeconds + waitOutputSeconds;
        return total > 0 ? busySeconds / total : 0;
    }

    /**
     * Reads a service's counters, less what they were at {@code since}, and its memory. The peak RSS is
     * the process's since it started: on a service that ran earlier jobs, whether this job raised it.
     */
    static StageStats read(ServiceProcess service, long rows, double rowsPerSecond, Counters since) {
        Counters now = Counters.read(service);
        return new StageStats(service.name(), rows, rowsPerSecond, now.busySeconds() - since.busySeconds(),
                now.waitInputSeconds() - since.waitInputSeconds(), now.waitOutputSeconds() - since.waitOutputSeconds(),
                service.peakRssBytes(), since(now.modelBusySeconds(), since.modelBusySeconds()));
    }

    /** {@code now - before}; a counter that did not exist before (NaN) counted from zero. */
    private static double since(double now, double before) {
        return Double.isNaN(before) ? now : now - before;
    }

    /**
     * A service's cumulative timers at one moment (zero, NaN for the model, while it does not answer).
     *
     * @param modelBusySeconds NaN where the service has no model
     */
    record Counters(double busySeconds, double waitInputSeconds, double waitOutputSeconds, double modelBusySeconds) {

        /** A process that has just started. */
        static final Counters NONE = new Counters(0, 0, 0, 0);

        /** Reads all four from one scrape of the service's {@code /q/metrics}. */
        static Counters read(ServiceProcess service) {
            String body = service.getOk("/q/metrics").orElse("");
            String stage = service.name();
            return new Counters(stageSum(body, "kbi_stage_busy_seconds_sum", stage),
                    stageSum(body, "kbi_stage_wait_input_seconds_sum", stage),
                    stageSum(body, "kbi_stage_wait_output_seconds_sum", stage),
                    PrometheusText.value(body, "kbi_inference_model_busy_seconds_total").orElse(Double.NaN));
        }

        private static double stageSum(String body, String metric, String stage) {
            return PrometheusText.sum(body, metric, "stage", stage).orElse(0);
        }
    }
}
