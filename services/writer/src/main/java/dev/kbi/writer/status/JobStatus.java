package dev.kbi.writer.status;

import dev.kbi.common.job.JobAnnouncement;
import java.util.List;
import java.util.Map;

/**
 * A job's status as {@code GET /jobs/{id}} serves it and the job-status topic carries it (JSON,
 * key = job id). Invariant of a finished job: total rows = rows written + rows dead-lettered.
 *
 * @param jobId the job
 * @param state RUNNING, SUCCEEDED or FAILED
 * @param message why it failed, its dead letters when it succeeded with some, or what it waits for
 * @param input what the reader read; null until announced
 * @param totalRows rows the reader emitted; null until announced
 * @param rowsWritten rows the writer wrote
 * @param rowsDeadLettered rows any stage dead-lettered
 * @param errorLimit the job's max-errored-rows; null until announced
 * @param firstErrors the first errors of the job, "stage: row id: class: message"
 * @param stages per stage: rows in, out, dead-lettered, first and last times
 * @param announcedAtMillis when the reader announced the total
 * @param startedAtMillis when any stage first handled a row
 * @param lastEventAtMillis the latest commit of any stage
 * @param finishedAtMillis when the job became SUCCEEDED or FAILED; null while RUNNING
 * @param durationMillis finished - started, once finished
 * @param skippedFiles files of the input the reader left out by extension; null until announced
 */
public record JobStatus(String jobId, JobState state, String message, String input, Long totalRows,
        long rowsWritten, long rowsDeadLettered, JobAnnouncement.ErrorLimit errorLimit, List<String> firstErrors,
        Map<String, StageCounts> stages, Long announcedAtMillis, Long startedAtMillis, Long lastEventAtMillis,
        Long finishedAtMillis, Long durationMillis, JobAnnouncement.SkippedFiles skippedFiles) {

    /** The view of {@code tally}. */
    public static JobStatus of(JobTally tally) {
        Verdict verdict = Verdict.of(tally);
        JobAnnouncement job = tally.announcement();
        Long started = tally.startedAtMillis();
        Long finished = verdict.state().terminal() ? tally.finishedAtMillis() : null;
        Long duration = finished != null && started != null ? finished - started : null;
        return new JobStatus(tally.jobId(), verdict.state(), verdict.message(), job == null ? null : job.input(),
                job == null ? null : job.totalRows(), tally.rowsWritten(), tally.rowsDeadLettered(),
                job == null ? null : job.errorLimit(), tally.firstErrors(), tally.stages(),
                job == null ? null : job.announcedAtMillis(), started, tally.lastEventAtMillis(), finished, duration,
                job == null ? null : job.skippedFiles());
    }
}
