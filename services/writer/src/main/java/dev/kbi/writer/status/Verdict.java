package dev.kbi.writer.status;

import dev.kbi.common.job.JobAnnouncement;

/**
 * A job's state and the sentence that explains it, from its counts: RUNNING until announced and
 * while rows are in flight; FAILED as soon as the dead letters exceed the job's limit or the counts
 * exceed the announced total; SUCCEEDED once written + dead-lettered rows equal the total.
 */
record Verdict(JobState state, String message) {

    static Verdict of(JobTally tally) {
        JobAnnouncement job = tally.announcement();
        if (job == null) {
            return new Verdict(JobState.RUNNING, "Not announced: no total published on the jobs topic yet (a "
                    + "continuous feed, such as the input topic's default job, has none)");
        }
        long written = tally.rowsWritten();
        long dead = tally.rowsDeadLettered();
        long total = job.totalRows();
        if (written + dead > total) {
            return new Verdict(JobState.FAILED, String.format("Inconsistent counts: %d rows written + %d "
                    + "dead-lettered = %d, more than the %d rows announced (rows counted twice, or a wrong total)",
                    written, dead, written + dead, total));
        }
        if (job.errorLimit().exceededBy(dead, total)) {
            return new Verdict(JobState.FAILED, job.errorLimit().tooManyErrors(dead, total) + ". First errors: "
                    + errors(tally));
        }
        if (written + dead < total) {
            return new Verdict(JobState.RUNNING, job.cancelled() ? "Cancelled: draining the " + total
                    + " rows read before" : null);
        }
        if (job.cancelled()) {
            return new Verdict(JobState.CANCELLED, String.format("Cancelled after %d rows were read: %d written, %d "
                    + "dead-lettered", total, written, dead));
        }
        return new Verdict(JobState.SUCCEEDED, dead == 0 ? null : String.format("%d of %d rows dead-lettered, "
                + "within max-errored-rows %s. First errors: %s", dead, total, job.errorLimit().describe(),
                errors(tally)));
    }

    private static String errors(JobTally tally) {
        return tally.firstErrors().isEmpty() ? "none reported" : String.join("; ", tally.firstErrors());
    }
}
