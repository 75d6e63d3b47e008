package dev.kbi.common.service;

import java.time.Duration;

/**
 * Decides when a process whose stage has failed should exit: once it has been unhealthy for the
 * whole grace period ({@code kbi.stage.exit-after-failure}). A stage that recovers within it (none
 * does today: a failed worker stays failed) starts the count again. Not thread-safe: one watcher asks.
 */
final class FailureExit {

    private final long graceNanos;
    private long unhealthySinceNanos = -1;

    FailureExit(Duration grace) {
        this.graceNanos = grace.toNanos();
    }

    /** Whether the process should exit now, given whether its stage is healthy at {@code nowNanos}. */
    boolean shouldExit(boolean healthy, long nowNanos) {
        if (graceNanos <= 0 || healthy) {
            unhealthySinceNanos = -1;
            return false;
        }
        if (unhealthySinceNanos < 0) {
            unhealthySinceNanos = nowNanos;
        }
        return nowNanos - unhealthySinceNanos >= graceNanos;
    }
}
