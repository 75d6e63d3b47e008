package dev.kbi.common.runtime;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Scales a {@link StageRunner}'s workers on its consumer lag, with the semantics and names of KEDA's
 * Kafka scaler, so the in-process pool and a Kubernetes deployment behave alike: every polling
 * interval the wanted count is {@code ceil(lag / lagThreshold)} within {@code [min, max]}, and
 * {@code min} while the lag is at or below {@code activationLagThreshold}. Scaling up happens at
 * once; scaling down only after the wanted count has stayed lower for the whole cooldown period.
 * Lag is counted in records, i.e. blocks.
 */
public final class LagAutoscaler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LagAutoscaler.class);

    /**
     * @param minWorkers workers kept when idle (at least 1)
     * @param maxWorkers most workers (more than the input's partitions would idle)
     * @param lagThreshold target lag (blocks) per worker
     * @param activationLagThreshold at or below this lag the pool stays at its minimum
     * @param pollingInterval how often the lag is read
     * @param cooldownPeriod how long a lower wanted count must last before workers are removed
     */
    public record Policy(int minWorkers, int maxWorkers, long lagThreshold, long activationLagThreshold,
            Duration pollingInterval, Duration cooldownPeriod) {

        public Policy {
            if (minWorkers < 1 || maxWorkers < minWorkers || lagThreshold < 1) {
                throw new IllegalArgumentException("Autoscaling needs 1 <= min <= max and lagThreshold >= 1, got "
                        + minWorkers + ".." + maxWorkers + ", " + lagThreshold);
            }
        }

        /** The worker count this lag asks for. */
        public int wanted(long lag) {
            if (lag <= activationLagThreshold) {
                return minWorkers;
            }
            long byLag = (lag + lagThreshold - 1) / lagThreshold;
            return (int) Math.max(minWorkers, Math.min(maxWorkers, byLag));
        }
    }

    private final StageRunner runner;
    private final LongSupplier lag;
    private final Policy policy;
    private final ScheduledExecutorService timer;
    private long lowerSinceNanos;

    LagAutoscaler(StageRunner runner, LongSupplier lag, Policy policy) {
        this.runner = runner;
        this.lag = lag;
        this.policy = policy;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "kbi-autoscaler"));
    }

    void start() {
        long period = policy.pollingInterval().toMillis();
        timer.scheduleWithFixedDelay(this::step, period, period, TimeUnit.MILLISECONDS);
    }

    /** One decision; never throws, so the schedule keeps running. */
    void step() {
        try {
            decide(lag.getAsLong(), System.nanoTime());
        } catch (RuntimeException e) {
            LOG.warnf("Autoscaler: could not read the lag, keeping %d worker(s): %s", runner.workerCount(),
                    e.getMessage());
        }
    }

    void decide(long currentLag, long nowNanos) {
        int current = runner.workerCount();
        int wanted = policy.wanted(currentLag);
        if (wanted > current) {
            LOG.infof("Autoscaler: lag %d blocks, scaling up %d -> %d worker(s)", currentLag, current, wanted);
            runner.scaleTo(wanted);
            lowerSinceNanos = 0;
        } else if (wanted < current) {
            if (lowerSinceNanos == 0) {
                lowerSinceNanos = nowNanos;
            } else if (nowNanos - lowerSinceNanos >= policy.cooldownPeriod().toNanos()) {
                LOG.infof("Autoscaler: lag %d blocks for %s, scaling down %d -> %d worker(s)", currentLag,
                        policy.cooldownPeriod(), current, wanted);
                runner.scaleTo(wanted);
                lowerSinceNanos = 0;
            }
        } else {
            lowerSinceNanos = 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(70, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
