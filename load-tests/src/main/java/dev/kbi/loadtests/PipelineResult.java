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
 */
record PipelineResult(String scenario, Map<String, String> settings, long rows, double rowsPerSecond,
        double latencyP50Millis, double latencyP99Millis, List<StageStats> stages, double modelBusyFraction) {

    /** Peak RSS of one stage's service in MiB, or -1. */
    long peakRssMiB(String stage) {
        return stages.stream().filter(s -> s.stage().equals(stage)).mapToLong(s -> s.peakRssBytes() >> 20)
                .findFirst().orElse(-1);
    }

    /** The stage busy the largest share of its time. */
    String bottleneck() {
        return stages.stream().max(java.util.Comparator.comparingDouble(StageStats::busyShare))
                .map(StageStats::stage).orElse("?");
    }
}
