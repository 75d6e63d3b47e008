package dev.kbi.writer.status;

import dev.kbi.common.job.StageEvent;

/**
 * One stage's counts for one job: the sum of the stage's events for it, over all its workers.
 *
 * @param rowsIn rows the stage received
 * @param rowsOut rows it passed on (the writer: rows written)
 * @param rowsDeadLettered rows it dead-lettered
 * @param firstAtMillis the earliest {@code firstAtMillis} of its events
 * @param lastAtMillis the latest {@code lastAtMillis} of its events
 * @param events how many events (worker commits) were summed
 */
public record StageCounts(long rowsIn, long rowsOut, long rowsDeadLettered, long firstAtMillis, long lastAtMillis,
        long events) {

    /** The counts of a stage's first event. */
    static StageCounts of(StageEvent event) {
        return new StageCounts(event.rowsIn(), event.rowsOut(), event.rowsDeadLettered(), event.firstAtMillis(),
                event.lastAtMillis(), 1);
    }

    StageCounts plus(StageEvent event) {
        return new StageCounts(rowsIn + event.rowsIn(), rowsOut + event.rowsOut(),
                rowsDeadLettered + event.rowsDeadLettered(), Math.min(firstAtMillis, event.firstAtMillis()),
                Math.max(lastAtMillis, event.lastAtMillis()), events + 1);
    }
}
