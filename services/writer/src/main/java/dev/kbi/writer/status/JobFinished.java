package dev.kbi.writer.status;

/**
 * A CDI event: a job's status is terminal (SUCCEEDED or FAILED). Fired by the instance of the
 * job-status app that aggregates the job, each time the job's status changes once terminal (the
 * first time, then for rows still draining and on replays): observers act once, on the first.
 *
 * @param status the job's status now
 */
public record JobFinished(JobStatus status) {
}
