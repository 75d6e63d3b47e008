package dev.kbi.common.job;

import java.util.List;
import java.util.Map;

/**
 * What one worker of a stage did for one job between two of its commits, published on the
 * job-events topic (key = job id, JSON value) in the same transaction as the work itself, so the
 * counts are exact under crashes: a job's status is the sum of its events.
 *
 * @param jobId the job
 * @param stage the stage's name (reader, preprocessor, inference, writer)
 * @param rowsIn rows the stage received (the reader: rows it listed)
 * @param rowsOut rows it passed on (the writer: rows written to files)
 * @param rowsDeadLettered rows it sent to the dead-letter topic (a whole unreadable block counts its declared rows)
 * @param firstErrors up to {@link #MAX_ERRORS} of the errors behind those dead letters, "row id: class: message"
 * @param firstAtMillis when the first of these rows was handled (epoch millis)
 * @param lastAtMillis when the commit that published this event was made (epoch millis)
 * @param worker the worker that did it ({@code <instance>-<stage>-<n>}), null in events of older versions
 * @param blocks blocks the stage received
 * @param bytesIn bytes of those blocks (the reader: bytes of the files it read)
 * @param busyNanos time the worker spent processing these rows (a batch of several jobs' rows is
 *        shared by rows)
 * @param batchLatency how long each batch holding rows of the job took to process
 * @param deadLettersByReason the rows dead-lettered, by error class
 */
public record StageEvent(String jobId, String stage, long rowsIn, long rowsOut, long rowsDeadLettered,
        List<String> firstErrors, long firstAtMillis, long lastAtMillis, String worker, long blocks, long bytesIn,
        long busyNanos, LatencyHistogram batchLatency, Map<String, Long> deadLettersByReason) {

    /** Errors carried per event: enough to name the first causes of a failed job, bounded in size. */
    public static final int MAX_ERRORS = 3;

    /** @throws IllegalArgumentException if {@code jobId} is not a valid job id ({@link JobIds}) */
    public StageEvent {
        JobIds.require(jobId);
        firstErrors = firstErrors == null ? List.of() : List.copyOf(firstErrors);
        batchLatency = batchLatency == null ? LatencyHistogram.EMPTY : batchLatency;
        deadLettersByReason = deadLettersByReason == null ? Map.of() : Map.copyOf(deadLettersByReason);
    }

    /** An event with counts and times only (what producers of older versions send). */
    public StageEvent(String jobId, String stage, long rowsIn, long rowsOut, long rowsDeadLettered,
            List<String> firstErrors, long firstAtMillis, long lastAtMillis) {
        this(jobId, stage, rowsIn, rowsOut, rowsDeadLettered, firstErrors, firstAtMillis, lastAtMillis, null, 0, 0, 0,
                LatencyHistogram.EMPTY, Map.of());
    }
}
