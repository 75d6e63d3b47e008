package dev.kbi.writer.status;

import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.StageEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the topology keeps per job: the announcement, the per-stage sums of the stage events, the
 * first errors, and when the job first reached a terminal state. {@link JobStatus} is the view of it
 * that is served and published.
 *
 * @param jobId the job
 * @param announcement the reader's announcement, null until it arrives
 * @param stages per stage name, in order of first arrival
 * @param firstErrors up to {@link #MAX_ERRORS} errors, "stage: row id: class: message", in arrival order
 * @param finishedAtMillis the latest time known when the job first became terminal; kept afterwards, so
 *        a FAILED job's finish does not move while its remaining rows drain
 */
public record JobTally(String jobId, JobAnnouncement announcement, Map<String, StageCounts> stages,
        List<String> firstErrors, Long finishedAtMillis) {

    /** Errors kept per job: enough to name the first causes, bounded in size. */
    public static final int MAX_ERRORS = 5;

    public JobTally {
        stages = stages == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(stages));
        firstErrors = firstErrors == null ? List.of() : List.copyOf(firstErrors);
    }

    /** The tally of a job nothing is known of yet. */
    static JobTally empty() {
        return new JobTally(null, null, Map.of(), List.of(), null);
    }

    /** This tally with {@code update} counted in. */
    JobTally apply(String id, JobUpdate update) {
        JobTally next = update.event() != null ? plus(id, update.event()) : announced(id, update.announcement());
        return next.markFinished();
    }

    private JobTally plus(String id, StageEvent event) {
        Map<String, StageCounts> next = new LinkedHashMap<>(stages);
        String stage = event.stage() == null ? "unknown" : event.stage();
        next.merge(stage, StageCounts.of(event), (counts, ignored) -> counts.plus(event));
        return new JobTally(id, announcement, next, errorsWith(stage, event), finishedAtMillis);
    }

    private JobTally announced(String id, JobAnnouncement job) {
        return new JobTally(id, job, stages, firstErrors, finishedAtMillis);
    }

    private List<String> errorsWith(String stage, StageEvent event) {
        List<String> errors = new ArrayList<>(firstErrors);
        event.firstErrors().stream().limit(Math.max(0, MAX_ERRORS - errors.size()))
                .forEach(error -> errors.add(stage + ": " + error));
        return errors;
    }

    private JobTally markFinished() {
        if (finishedAtMillis != null || !Verdict.of(this).state().terminal()) {
            return this;
        }
        return new JobTally(jobId, announcement, stages, firstErrors, latestMillis());
    }

    /** Rows written to files: the writer stage's output. */
    long rowsWritten() {
        StageCounts writer = stages.get(Pipeline.WRITER);
        return writer == null ? 0 : writer.rowsOut();
    }

    /** Rows dead-lettered by any stage: each row is dead-lettered by exactly one stage, so they add up. */
    long rowsDeadLettered() {
        return stages.values().stream().mapToLong(StageCounts::rowsDeadLettered).sum();
    }

    /** When the first row was handled by any stage; null before any event. */
    Long startedAtMillis() {
        return stages.values().stream().map(StageCounts::firstAtMillis).min(Long::compare).orElse(null);
    }

    /** The latest commit of any stage; null before any event. */
    Long lastEventAtMillis() {
        return stages.values().stream().map(StageCounts::lastAtMillis).max(Long::compare).orElse(null);
    }

    /** The latest time the job's inputs tell of: taken from the records, never from a clock, so replays agree. */
    private long latestMillis() {
        long events = lastEventAtMillis() == null ? Long.MIN_VALUE : lastEventAtMillis();
        long announced = announcement == null ? Long.MIN_VALUE : announcement.announcedAtMillis();
        return Math.max(events, announced);
    }
}
