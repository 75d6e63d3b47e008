package dev.kbi.common.runtime;

import dev.kbi.common.job.StageEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts a worker's rows per job between two commits, and turns them into the {@link StageEvent}s
 * sent with the commit. Thread-safe: the processing thread counts, the polling thread drains.
 */
final class JobCounter {

    private final String stage;
    private final Map<String, Counts> byJob = new LinkedHashMap<>();

    private static final class Counts {
        long in;
        long out;
        long dead;
        final List<String> errors = new ArrayList<>();
        final long firstAtMillis = System.currentTimeMillis();
    }

    JobCounter(String stage) {
        this.stage = stage;
    }

    synchronized void in(String jobId, long rows) {
        counts(jobId).in += rows;
    }

    synchronized void out(String jobId, long rows) {
        counts(jobId).out += rows;
    }

    /** {@code rows} dead-lettered; {@code error} describes one of them ("row id: class: message"). */
    synchronized void deadLettered(String jobId, long rows, String error) {
        Counts counts = counts(jobId);
        counts.dead += rows;
        if (counts.errors.size() < StageEvent.MAX_ERRORS) {
            counts.errors.add(error);
        }
    }

    /** The events of everything counted since the last drain, one per job; the counts restart at zero. */
    synchronized List<StageEvent> drain() {
        long now = System.currentTimeMillis();
        List<StageEvent> events = new ArrayList<>();
        byJob.forEach((job, c) -> events.add(new StageEvent(job, stage, c.in, c.out, c.dead, c.errors,
                c.firstAtMillis, now)));
        byJob.clear();
        return events;
    }

    /** Forgets what was counted since the last drain (its work was aborted and will be done again). */
    synchronized void clear() {
        byJob.clear();
    }

    private Counts counts(String jobId) {
        return byJob.computeIfAbsent(jobId, id -> new Counts());
    }
}
