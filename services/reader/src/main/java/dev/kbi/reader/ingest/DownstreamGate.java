package dev.kbi.reader.ingest;

import dev.kbi.common.lag.ConsumerLag;
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
    private final long maxBlocks;
    private final long maxBytes;
    private final double resumeAt;
    private final Duration checkInterval;
    private final AtomicLong blocks;
    private long lastCheckNanos;
    private long lastBlocks;
    private long sentSinceCheck;
    private boolean holding;

    /**
     * @param maxBytes the bytes budget, or 0 or less for none
     */
    DownstreamGate(Supplier<ConsumerLag.Lag> inFlight, long maxBlocks, long maxBytes, double resumeAt,
            Duration checkInterval, MeterRegistry registry) {
        this.inFlight = inFlight;
        this.maxBlocks = maxBlocks;
        this.maxBytes = maxBytes;
        this.resumeAt = resumeAt;
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
        if (!due && (holding || lastBlocks + sentSinceCheck + 1 <= maxBlocks)) {
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
        holding = holding ? !drained(lag) : exceeded(lag);
        if (holding != wasHolding) {
            LOG.infof("%s the input: %d blocks, %d bytes in flight downstream (budget %d blocks%s)",
                    holding ? "Holding" : "Taking again", lag.records(), lag.bytes(), maxBlocks,
                    maxBytes > 0 ? ", " + maxBytes + " bytes" : "");
        }
        return !holding;
    }

    /** One more block would not fit. */
    private boolean exceeded(ConsumerLag.Lag lag) {
        return lag.records() + 1 > maxBlocks || (maxBytes > 0 && lag.bytes() > maxBytes);
    }

    private boolean drained(ConsumerLag.Lag lag) {
        return lag.records() <= (long) (maxBlocks * resumeAt) && (maxBytes <= 0 || lag.bytes() <= (long) (maxBytes
                * resumeAt));
    }
}
