package dev.kbi.writer.status;

import dev.kbi.common.pipeline.Pipeline;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a job's time went, per stage, like Ray Data's {@code ds.stats()}: served by
 * {@code GET /jobs/{id}/stats} for a running or finished job, summed from the same committed stage
 * events as its status. A stage's workers each had the job from their first to their last event of
 * it; of that time they were busy processing its rows or waiting (for input, for the commit, or on
 * other jobs' rows). The stage busy the largest share of that time is the bottleneck.
 *
 * @param jobId the job
 * @param state its state
 * @param wallSeconds from the first row any stage handled to the latest commit of any stage
 * @param stages per stage, in the order the stages first reported
 * @param bottleneck the stage that limits the job and what to change, or null before any busy time
 */
public record JobStats(String jobId, JobState state, Double wallSeconds, Map<String, Stage> stages,
        Bottleneck bottleneck) {

    /** Below this busy share the slowest stage still waits most of its time: nothing in the pipeline limits. */
    static final double BUSY_ENOUGH = 0.5;

    private static final List<String> PIPELINE_ORDER = List.of(Pipeline.INGEST, Pipeline.READER, Pipeline.PREPROCESSOR,
            Pipeline.INFERENCE, Pipeline.WRITER);

    /**
     * One stage's figures for the job.
     *
     * @param wallSeconds from its first row to its last commit
     * @param workers how many workers (consumers) handled rows of the job
     * @param busySeconds time spent processing the job's rows, summed over workers
     * @param waitingSeconds the rest of the time the workers had the job
     * @param busyShare busy / (busy + waiting), null when the workers' time is unknown
     * @param rowsIn rows received
     * @param rowsOut rows passed on (the writer: written)
     * @param rowsDeadLettered rows dead-lettered
     * @param blocks blocks received
     * @param bytesIn bytes of those blocks
     * @param rowsPerSecond rows handled (out + dead-lettered) over the stage's wall time
     * @param batchLatencyMillis p50, p95 and p99 of the time to process one batch (one poll's blocks)
     * @param deadLettersByReason rows dead-lettered by error class
     */
    public record Stage(double wallSeconds, int workers, double busySeconds, double waitingSeconds,
            Double busyShare, long rowsIn, long rowsOut, long rowsDeadLettered, long blocks, long bytesIn,
            Double rowsPerSecond, Map<String, Double> batchLatencyMillis, Map<String, Long> deadLettersByReason) {

        static Stage of(StageCounts counts) {
            double wall = Math.max(0, counts.lastAtMillis() - counts.firstAtMillis()) / 1e3;
            double busy = counts.busyNanos() / 1e9;
            double held = counts.workerMillis() / 1e3;
            double waiting = Math.max(0, held - busy);
            Double share = busy + waiting > 0 ? busy / (busy + waiting) : null;
            long handled = counts.rowsOut() + counts.rowsDeadLettered();
            Map<String, Double> latency = new LinkedHashMap<>();
            latency.put("p50", counts.batchLatency().quantileMillis(0.50));
            latency.put("p95", counts.batchLatency().quantileMillis(0.95));
            latency.put("p99", counts.batchLatency().quantileMillis(0.99));
            return new Stage(wall, counts.workers().size(), busy, waiting, share, counts.rowsIn(), counts.rowsOut(),
                    counts.rowsDeadLettered(), counts.blocks(), counts.bytesIn(), wall > 0 ? handled / wall : null,
                    latency, counts.deadLettersByReason());
        }
    }

    /**
     * @param stage the stage busy the largest share of its time
     * @param busyShare that share
     * @param suggestion what to change first (README, Tuning)
     */
    public record Bottleneck(String stage, double busyShare, String suggestion) {
    }

    /** The stats of {@code status}. */
    public static JobStats of(JobStatus status) {
        Map<String, Stage> stages = new LinkedHashMap<>();
        status.stages().entrySet().stream().sorted(Comparator.comparingInt(e -> pipelineOrder(e.getKey())))
                .forEach(e -> stages.put(e.getKey(), Stage.of(e.getValue())));
        Double wall = status.startedAtMillis() == null ? null
                : (status.lastEventAtMillis() - status.startedAtMillis()) / 1e3;
        return new JobStats(status.jobId(), status.state(), wall, stages, bottleneck(stages));
    }

    /** Source to sink; stages the pipeline does not name come last, in the order they reported. */
    private static int pipelineOrder(String stage) {
        int index = PIPELINE_ORDER.indexOf(stage);
        return index < 0 ? PIPELINE_ORDER.size() : index;
    }

    private static Bottleneck bottleneck(Map<String, Stage> stages) {
        String slowest = null;
        double share = -1;
        for (Map.Entry<String, Stage> entry : stages.entrySet()) {
            Double stageShare = entry.getValue().busyShare();
            if (stageShare != null && stageShare > share) {
                slowest = entry.getKey();
                share = stageShare;
            }
        }
        return slowest == null ? null : new Bottleneck(slowest, share, suggestion(slowest, share));
    }

    /** The first thing to try, from the README's Tuning section. */
    static String suggestion(String stage, double busyShare) {
        if (busyShare < BUSY_ENOUGH) {
            return "Every stage waits more than it works: the input limits the job. Raise the reader's budget "
                    + "(reader.backpressure.max-rows-in-flight), its block size (reader.block-rows), or feed "
                    + "the input topic faster.";
        }
        return switch (stage) {
            case "inference" -> "Raise inference.batch-size until rows/s stops growing, then add consumers "
                    + "(kbi.stage.concurrency or inference instances, with as many partitions of the tensors topic).";
            case "preprocessor" -> "Give the preprocessor more consumers (kbi.stage.concurrency or instances, "
                    + "with as many partitions of the images topic).";
            case "writer" -> "Give the writer more consumers (kbi.stage.concurrency or instances, with as many "
                    + "partitions of the predictions topic).";
            case "reader", "ingest" -> "Reading the input limits the job: larger blocks (reader.block-rows), "
                    + "faster storage, or split the input into several jobs.";
            default -> "Give " + stage + " more consumers (kbi.stage.concurrency or instances) and partitions.";
        };
    }
}
