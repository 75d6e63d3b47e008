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

    /** Consumer group; defaults to {@code kbi-<stage>}. All instances of a stage must share it. */
    Optional<String> groupId();

    /** How long one poll waits for input. */
    @WithDefault("PT0.5S")
    Duration pollTimeout();

    /** Minimum time between offset commits; 0 commits after every polled batch. */
    @WithDefault("PT0S")
    Duration commitInterval();
}
