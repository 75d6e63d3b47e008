package dev.kbi.writer.status;

import dev.kbi.common.job.LatencyHistogram;
import dev.kbi.common.job.StageEvent;
import java.util.Map;
import java.util.TreeMap;

/**
 * One stage's counts for one job: the sum of the stage's events for it, over all its workers.
 *
 * @param rowsIn rows the stage received
 * @param rowsOut rows it passed on (the writer: rows written)
 * @param rowsDeadLettered rows it dead-lettered
 * @param firstAtMillis the earliest {@code firstAtMillis} of its events
 * @param lastAtMillis the latest {@code lastAtMillis} of its events
 * @param events how many events (worker commits) were summed
 * @param blocks blocks received
 * @param bytesIn bytes of those blocks
 * @param busyNanos time the stage's workers spent processing the job's rows
 * @param batchLatency the processing time of each batch that held rows of the job
 * @param deadLettersByReason rows dead-lettered, by error class
 * @param workers per worker, the span of its events for the job: with {@code busyNanos}, how long
 *        the workers waited while the job was theirs
 */
public record StageCounts(long rowsIn, long rowsOut, long rowsDeadLettered, long firstAtMillis, long lastAtMillis,
        long events, long blocks, long bytesIn, long busyNanos, LatencyHistogram batchLatency,
        Map<String, Long> deadLettersByReason, Map<String, WorkerSpan> workers) {

    /**
     * When one worker first and last reported rows of the job.
     *
     * @param firstAtMillis the earliest {@code firstAtMillis} of its events
     * @param lastAtMillis the latest {@code lastAtMillis} of its events
     */
    public record WorkerSpan(long firstAtMillis, long lastAtMillis) {

        WorkerSpan plus(WorkerSpan other) {
            return new WorkerSpan(Math.min(firstAtMillis, other.firstAtMillis),
                    Math.max(lastAtMillis, other.lastAtMillis));
        }

        long millis() {
            return Math.max(0, lastAtMillis - firstAtMillis);
        }
    }

    public StageCounts {
        batchLatency = batchLatency == null ? LatencyHistogram.EMPTY : batchLatency;
        deadLettersByReason = deadLettersByReason == null ? Map.of() : Map.copyOf(deadLettersByReason);
        workers = workers == null ? Map.of() : Map.copyOf(workers);
    }

    /** The counts of a stage's first event. */
    static StageCounts of(StageEvent event) {
        return new StageCounts(event.rowsIn(), event.rowsOut(), event.rowsDeadLettered(), event.firstAtMillis(),
                event.lastAtMillis(), 1, event.blocks(), event.bytesIn(), event.busyNanos(), event.batchLatency(),
                event.deadLettersByReason(), spanOf(event));
    }

    StageCounts plus(StageEvent event) {
        Map<String, Long> reasons = new TreeMap<>(deadLettersByReason);
        event.deadLettersByReason().forEach((reason, rows) -> reasons.merge(reason, rows, Long::sum));
        Map<String, WorkerSpan> spans = new TreeMap<>(workers);
        spanOf(event).forEach((worker, span) -> spans.merge(worker, span, WorkerSpan::plus));
        return new StageCounts(rowsIn + event.rowsIn(), rowsOut + event.rowsOut(),
                rowsDeadLettered + event.rowsDeadLettered(), Math.min(firstAtMillis, event.firstAtMillis()),
                Math.max(lastAtMillis, event.lastAtMillis()), events + 1, blocks + event.blocks(),
                bytesIn + event.bytesIn(), busyNanos + event.busyNanos(), batchLatency.plus(event.batchLatency()),
                reasons, spans);
    }

    /** The sum over workers of the time each had the job: busy plus waiting. */
    long workerMillis() {
        return workers.values().stream().mapToLong(WorkerSpan::millis).sum();
    }

    private static Map<String, WorkerSpan> spanOf(StageEvent event) {
        return event.worker() == null ? Map.of()
                : Map.of(event.worker(), new WorkerSpan(event.firstAtMillis(), event.lastAtMillis()));
    }
}
