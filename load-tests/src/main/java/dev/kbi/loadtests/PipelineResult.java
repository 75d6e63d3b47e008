package dev.kbi.loadtests;

import dev.kbi.launcher.StageStats;
import java.util.List;
import java.util.Map;

/**
 * One pipeline run's figures.
 *
 * @param scenario which scenario (pipeline, naive, sweep, scale)
 * @param settings the service settings it ran with
 * @param rows rows written
 * @param rowsPerSecond rows over the span from the first row read to the last row written
 * @param latencyP50Millis median per-row latency, read to written
 * @param latencyP99Millis 99th percentile of the same
 * @param stages per-stage time split and peak memory
 * @param modelBusyFraction share of the run (first read to last write) the model spent computing
 * @param jvmOptions extra JVM options per service (empty: the launcher's defaults)
 * @param inFlight blocks and bytes in flight and the services' JVM memory, sampled during the run;
 *     null when the run was not sampled
 */
record PipelineResult(String scenario, Map<String, String> settings, long rows, double rowsPerSecond,
        double latencyP50Millis, double latencyP99Millis, List<StageStats> stages, double modelBusyFraction,
        Map<String, List<String>> jvmOptions, RunSampler.InFlight inFlight) {

    /** One stage's figures, or null. */
    StageStats stage(String stage) {
        return stages.stream().filter(s -> s.stage().equals(stage)).findFirst().orElse(null);
    }

    /** Peak RSS of one stage's service in MiB, or -1. */
    long peakRssMiB(String stage) {
        StageStats s = stage(stage);
        return s == null ? -1 : s.peakRssBytes() >> 20;
    }

    /** The stage busy the largest share of its time. */
    String bottleneck() {
        return stages.stream().max(java.util.Comparator.comparingDouble(StageStats::busyShare))
                .map(StageStats::stage).orElse("?");
    }
}
