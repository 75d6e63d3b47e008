package dev.kbi.common.job;

import java.util.List;

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
 */
public record StageEvent(String jobId, String stage, long rowsIn, long rowsOut, long rowsDeadLettered,
        List<String> firstErrors, long firstAtMillis, long lastAtMillis) {

    /** Errors carried per event: enough to name the first causes of a failed job, bounded in size. */
    public static final int MAX_ERRORS = 3;

    /** @throws IllegalArgumentException if {@code jobId} is not a valid job id ({@link JobIds}) */
    public StageEvent {
        JobIds.require(jobId);
        firstErrors = firstErrors == null ? List.of() : List.copyOf(firstErrors);
    }
}
