package dev.kbi.reader.ingest;

import dev.kbi.common.lag.ConsumerLag;
import dev.kbi.reader.Backpressure;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The ingest stage's backpressure, with the reader's budget ({@code reader.backpressure.*}): while
 * the blocks (and, if set, bytes) in flight between it and the writer exceed the budget, ingest
 * takes no more input, and records wait on the input topic, where they cost nothing but broker disk
 * they already use; it takes input again once the backlog is down to the low watermark
 * ({@code resume-at}). The backlog is the downstream groups' lag, measured every
 * {@code check-interval}, and sooner when the blocks sent since the last measurement could fill the
 * budget: the estimate never undercounts.
 */
final class DownstreamGate {

    private static final Logger LOG = Logger.getLogger(DownstreamGate.class);

    private final Supplier<ConsumerLag.Lag> inFlight;
    private final Backpressure.Budget budget;
    private final Duration checkInterval;
    private final AtomicLong blocks;
    private long lastCheckNanos;
    private long lastBlocks;
    private long sentSinceCheck;
    private boolean holding;

    /** @param budget the reader's budget: the same limits and low watermark as a reader's job */
    DownstreamGate(Supplier<ConsumerLag.Lag> inFlight, Backpressure.Budget budget, Duration checkInterval,
            MeterRegistry registry) {
        this.inFlight = inFlight;
        this.budget = budget;
        this.checkInterval = checkInterval;
        this.blocks = registry.gauge("kbi.ingest.blocks.in.flight", new AtomicLong());
    }

    /** Counts blocks sent since the last measurement. */
    void sent(int blocksSent) {
        sentSinceCheck += blocksSent;
    }

    /** Whether ingest may take more input now: one more block fits in the budget. */
    boolean hasRoom() {
        long now = System.nanoTime();
        boolean due = lastCheckNanos == 0 || now - lastCheckNanos >= checkInterval.toNanos();
        if (!due && (holding || lastBlocks + sentSinceCheck + 1 <= budget.maxBlocks())) {
            return !holding;
        }
        lastCheckNanos = now;
        ConsumerLag.Lag lag;
        try {
            lag = inFlight.get();
        } catch (RuntimeException e) {
            // Unknown backlog (the broker restarting): hold, as a send would block, and ask again.
            LOG.warnf("Cannot read the downstream lag (%s): holding the input until it can be read", e.getMessage());
            holding = true;
            return false;
        }
        blocks.set(lag.records());
        lastBlocks = lag.records();
        sentSinceCheck = 0;
        boolean wasHolding = holding;
        // Held: wait for the low watermark. Taking input: hold once one more block would not fit.
        holding = holding ? !budget.drainedTo(lag.records(), lag.bytes())
                : budget.exceededBy(lag.records() + 1, lag.bytes());
        if (holding != wasHolding) {
            LOG.infof("%s the input: %d blocks, %d bytes in flight downstream (budget %d blocks%s)",
                    holding ? "Holding" : "Taking again", lag.records(), lag.bytes(), budget.maxBlocks(),
                    budget.maxBytes() > 0 ? ", " + budget.maxBytes() + " bytes" : "");
        }
        return !holding;
    }
}
