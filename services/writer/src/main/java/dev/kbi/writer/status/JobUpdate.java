package dev.kbi.writer.status;

import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.StageEvent;

/**
 * One input of a job's status, as it travels through the topology's repartition topic: a stage's
 * event or the reader's announcement (exactly one of the two is set). Both inputs pass through one
 * topic so that a job's events and its announcement meet in the same task, whatever the partition
 * counts of the job-events and jobs topics.
 */
public record JobUpdate(StageEvent event, JobAnnouncement announcement) {

    /** The job this update is about; null when neither is set. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    String jobId() {
        return event != null ? event.jobId() : announcement != null ? announcement.jobId() : null;
    }

    static JobUpdate of(StageEvent event) {
        return new JobUpdate(event, null);
    }

    static JobUpdate of(JobAnnouncement announcement) {
        return new JobUpdate(null, announcement);
    }
}
