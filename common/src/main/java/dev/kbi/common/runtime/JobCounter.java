package dev.kbi.common.runtime;

import dev.kbi.common.job.LatencyHistogram;
import dev.kbi.common.job.StageEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts a worker's rows, blocks, bytes, busy time and dead letters per job between two commits,
 * and turns them into the {@link StageEvent}s sent with the commit. Thread-safe: the processing
 * thread counts, the polling thread drains.
 */
final class JobCounter {

    private final String stage;
    private final String worker;
    private final Map<String, Counts> byJob = new LinkedHashMap<>();

    private static final class Counts {
        long in;
        long out;
        long dead;
        long blocks;
        long bytes;
        long busyNanos;
        LatencyHistogram batchLatency = LatencyHistogram.EMPTY;
        final Map<String, Long> deadByReason = new TreeMap<>();
        final List<String> errors = new ArrayList<>();
        final long firstAtMillis = System.currentTimeMillis();
    }

    /** @param worker the worker's name in its events, unique across the stage's instances */
    JobCounter(String stage, String worker) {
        this.stage = stage;
        this.worker = worker;
    }

    synchronized void in(String jobId, long rows) {
        counts(jobId).in += rows;
    }

    /** One block of {@code rows} rows and {@code bytes} bytes received. */
    synchronized void block(String jobId, long rows, long bytes) {
        Counts counts = counts(jobId);
        counts.in += rows;
        counts.blocks++;
        counts.bytes += bytes;
    }

    /**
     * One batch processed in {@code nanos}: each job's share of the time is its share of the rows,
     * and each job's batch latency is the whole batch's time (its rows waited for all of it).
     */
    synchronized void busy(Map<String, Long> rowsByJob, long nanos) {
        long rows = rowsByJob.values().stream().mapToLong(Long::longValue).sum();
        rowsByJob.forEach((jobId, jobRows) -> {
            Counts counts = counts(jobId);
            counts.busyNanos += rows == 0 ? nanos / rowsByJob.size() : Math.round((double) nanos * jobRows / rows);
            counts.batchLatency = counts.batchLatency.with(nanos);
        });
    }

    synchronized void out(String jobId, long rows) {
        counts(jobId).out += rows;
    }

    /**
     * {@code rows} dead-lettered for {@code reason} (the error class); {@code error} describes one of
     * them ("row id: class: message").
     */
    synchronized void deadLettered(String jobId, long rows, String reason, String error) {
        Counts counts = counts(jobId);
        counts.dead += rows;
        counts.deadByReason.merge(reason, rows, Long::sum);
        if (counts.errors.size() < StageEvent.MAX_ERRORS) {
            counts.errors.add(error);
        }
    }

    /** The events of everything counted since the last drain, one per job; the counts restart at zero. */
    synchronized List<StageEvent> drain() {
        long now = System.currentTimeMillis();
        List<StageEvent> events = new ArrayList<>();
        byJob.forEach((job, c) -> events.add(new StageEvent(job, stage, c.in, c.out, c.dead, c.errors,
                c.firstAtMillis, now, worker, c.blocks, c.bytes, c.busyNanos, c.batchLatency, c.deadByReason)));
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
