package dev.kbi.inference.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * Time the model threads spend running model batches: the total, and the busy fraction of wall
 * time over a sliding window. A batch still running counts up to now, so a long batch (seconds on a
 * CPU) does not read as idle. Thread-safe.
 *
 * <p>The window is kept as (time, busy total) samples taken at most every tenth of the window, on
 * each batch end and each read; the ratio spans from the newest sample at least a window old (or
 * the start) to now.
 */
public final class BusyTime {

    private static final long IDLE = Long.MIN_VALUE;

    private final LongSupplier nanoClock;
    private final int threads;
    private final long windowNanos;
    private final long stepNanos;
    private final long[] runningSince;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private long completedNanos;

    /**
     * @param threads model threads measured (the ratio's denominator is {@code threads} x wall time)
     * @param window the sliding window of {@link #ratio()}
     * @param nanoClock {@link System#nanoTime} outside tests
     */
    public BusyTime(int threads, Duration window, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.threads = threads;
        this.windowNanos = window.toNanos();
        this.stepNanos = Math.max(1, windowNanos / 10);
        this.runningSince = new long[threads];
        Arrays.fill(runningSince, IDLE);
        samples.addLast(new long[] {nanoClock.getAsLong(), 0});
    }

    /** Model thread {@code thread} starts a batch. */
    public synchronized void begin(int thread) {
        runningSince[thread] = nanoClock.getAsLong();
    }

    /** Model thread {@code thread} ends its batch. */
    public synchronized void end(int thread) {
        long now = nanoClock.getAsLong();
        if (runningSince[thread] != IDLE) {
            completedNanos += now - runningSince[thread];
            runningSince[thread] = IDLE;
        }
        sample(now, busyAt(now));
    }

    /** Busy time of all model threads since the start, in nanoseconds. */
    public synchronized long busyNanos() {
        return busyAt(nanoClock.getAsLong());
    }

    /** Fraction (0..1) of the model threads' wall time spent in batches over the last window. */
    public synchronized double ratio() {
        long now = nanoClock.getAsLong();
        long busy = busyAt(now);
        sample(now, busy);
        long[] base = samples.peekFirst();
        long elapsed = now - base[0];
        if (elapsed <= 0) {
            return 0;
        }
        return Math.min(1.0, (double) (busy - base[1]) / ((double) elapsed * threads));
    }

    private long busyAt(long now) {
        long busy = completedNanos;
        for (long since : runningSince) {
            if (since != IDLE) {
                busy += now - since;
            }
        }
        return busy;
    }

    private void sample(long now, long busy) {
        if (now - samples.peekLast()[0] >= stepNanos) {
            samples.addLast(new long[] {now, busy});
        }
        // Keep exactly one sample at least a window old: the base of the ratio.
        while (samples.size() > 1 && now - second()[0] >= windowNanos) {
            samples.removeFirst();
        }
    }

    private long[] second() {
        Iterator<long[]> it = samples.iterator();
        it.next();
        return it.next();
    }
}
