package dev.kbi.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How a consuming service runs its stage (one set per process). */
@ConfigMapping(prefix = "kbi.stage")
public interface StageConfig {

    /**
     * Consumer threads in this process. The stage's concurrency is the sum over its instances,
     * and is bounded by the input topic's partitions.
     */
    @WithDefault("1")
    int concurrency();

    /**
     * No longer read: a stage's group is {@code kbi.groups.<stage>}, which every service reads, so
     * that the stages watching its lag follow a rename. Set, it fails startup saying so.
     */
    Optional<String> groupId();

    /**
     * Static group membership: a name of this process that survives its restarts (on Kubernetes the
     * pod name, from the downward API). Consumer thread {@code n} then joins as {@code <instance-id>-<n>},
     * and a restart within {@code kafka.session.timeout.ms} moves no partitions. Unset: dynamic members.
     * Two running processes must never share one.
     */
    Optional<String> instanceId();

    /**
     * Whether a process shutting down leaves its group at once. True (default) moves its partitions
     * now, right for a scale-down; false keeps a static member's partitions for it until its session
     * times out, right for rolling restarts of stable pods (StatefulSet). Ignored without an instance id.
     */
    @WithDefault("true")
    boolean leaveGroupOnShutdown();

    /**
     * {@code exactly-once} (default): each worker commits its outputs and input offsets in one Kafka
     * transaction, so a crash neither loses nor repeats a row. {@code at-least-once}: outputs are
     * acknowledged, then offsets committed (a crash in between repeats blocks; no transaction cost).
     */
    @WithDefault("exactly-once")
    dev.kbi.common.runtime.StageSettings.Delivery delivery();

    /** How long one poll waits for input. */
    @WithDefault("PT0.5S")
    Duration pollTimeout();

    /** Minimum time between offset commits; 0 commits after every polled batch. */
    @WithDefault("PT0S")
    Duration commitInterval();

    /**
     * Most consumer threads in this process. Above {@code concurrency}, the stage autoscales on its
     * consumer lag between the two ({@code kbi.stage.autoscale.*}); unset, it stays at {@code concurrency}.
     */
    Optional<Integer> maxConcurrency();

    /**
     * How long a process whose stage workers stopped on errors stays up, with liveness and readiness
     * DOWN (for the orchestrator and for its logs to be read), before it exits with status 1, so that
     * restart policies that do not watch health (Compose's {@code restart:}) bring it back as
     * Kubernetes' liveness probe would. 0 = never exit.
     */
    @WithDefault("PT30S")
    Duration exitAfterFailure();

    /**
     * How long a service waits at startup for a broker address of {@code kafka.bootstrap.servers} to
     * resolve (Kafka's clients cannot be created before; on a Compose network a stopped broker's name
     * does not resolve) before it fails to start.
     */
    @WithDefault("PT10M")
    Duration bootstrapResolveTimeout();

    /** How often the stage's consumer lag is read for the {@code kbi_stage_lag_blocks} gauge. */
    @WithDefault("PT5S")
    Duration lagInterval();

    /** Lag-based scaling, with the names and meaning of KEDA's Kafka scaler. */
    Autoscale autoscale();

    /** {@code kbi.stage.autoscale.*} */
    interface Autoscale {

        /** Target lag per worker, in blocks (records). */
        @WithDefault("8")
        long lagThreshold();

        /** At or below this lag (blocks) the stage runs its minimum, {@code concurrency}. */
        @WithDefault("0")
        long activationLagThreshold();

        /** How often the lag is read. */
        @WithDefault("PT2S")
        Duration pollingInterval();

        /** How long fewer workers must suffice before any is removed. */
        @WithDefault("PT30S")
        Duration cooldownPeriod();
    }
}
