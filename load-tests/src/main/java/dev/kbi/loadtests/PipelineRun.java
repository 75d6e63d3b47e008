package dev.kbi.loadtests;

import dev.kbi.common.parquet.ParquetRows;
import dev.kbi.launcher.JobSummary;
import dev.kbi.launcher.LaunchOptions;
import dev.kbi.launcher.LocalPipeline;
import dev.kbi.launcher.StageStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;

/**
 * Runs the whole pipeline as {@code run-local.sh} does (a fresh broker, the four packaged services in
 * their own JVMs) on a workload, and measures it from the output itself: every Parquet row carries
 * when it was read and when it was written.
 */
final class PipelineRun {

    private final Path projectRoot;
    private final Path workDir;

    PipelineRun(Path projectRoot, Path workDir) {
        this.projectRoot = projectRoot;
        this.workDir = workDir;
    }

    PipelineResult run(String scenario, Path input, Path modelDir, Map<String, String> settings) throws Exception {
        return run(scenario, input, modelDir, settings, null);
    }

    /** A run fed by {@code externalInput} (another system producing to the images topic) when not null. */
    PipelineResult run(String scenario, Path input, Path modelDir, Map<String, String> settings,
            dev.kbi.launcher.ExternalInput externalInput) throws Exception {
        return run(scenario, input, modelDir, settings, externalInput, Map.of(), false);
    }

    /**
     * A run with extra JVM options per service ({@code jvmOptions}, appended to the launcher's), and,
     * when {@code sample} is set, the blocks and bytes in flight and the services' JVM memory sampled
     * throughout (see {@link RunSampler}).
     */
    PipelineResult run(String scenario, Path input, Path modelDir, Map<String, String> settings,
            dev.kbi.launcher.ExternalInput externalInput, Map<String, List<String>> jvmOptions, boolean sample)
            throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        // Workload manifests live under .work/ and name images elsewhere in the checkout; the reader
        // only reads under its allowed roots (default: the manifest's folder).
        env.put("READER_ALLOWED_ROOTS", projectRoot.toString());
        settings.forEach((key, value) -> env.put(LaunchOptions.envName(key), value));
        String jobId = scenario.replaceAll("[^A-Za-z0-9-]", "-") + "-" + System.currentTimeMillis();
        Path launchDir = workDir.resolve("local");
        LaunchOptions options = new LaunchOptions(projectRoot, input, modelDir, launchDir,
                workDir.resolve("output"), jobId, 4, Duration.ofMinutes(60), true, env, jvmOptions);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunSampler sampler = sample ? RunSampler.start(launchDir) : null;
        JobSummary summary;
        try {
            summary = new LocalPipeline(options, new PrintStream(log), externalInput).run();
        } finally {
            if (sampler != null) {
                sampler.close();
            }
        }
        if (summary.rowsDeadLettered() > 0) {
            throw new IllegalStateException("Job " + jobId + ": " + summary.rowsDeadLettered() + " of "
                    + summary.totalRows() + " rows dead-lettered; see " + summary.jobDir());
        }
        return measure(scenario, settings, summary, jvmOptions, sampler == null ? null : sampler.result());
    }

    private static PipelineResult measure(String scenario, Map<String, String> settings, JobSummary summary,
            Map<String, List<String>> jvmOptions, RunSampler.InFlight inFlight) throws Exception {
        long rows = 0;
        long firstRead = Long.MAX_VALUE;
        long lastWritten = Long.MIN_VALUE;
        long[] latencies = new long[(int) summary.rowsWritten()];
        for (Path file : summary.files()) {
            for (Group row : ParquetRows.read(file)) {
                long read = row.getLong("read_at_ms", 0);
                long written = row.getLong("written_at_ms", 0);
                firstRead = Math.min(firstRead, read);
                lastWritten = Math.max(lastWritten, written);
                if (rows < latencies.length) {
                    latencies[(int) rows] = written - read;
                }
                rows++;
            }
        }
        Arrays.sort(latencies);
        double seconds = Math.max(1, lastWritten - firstRead) / 1000.0;
        double modelBusy = summary.stages().stream().mapToDouble(StageStats::modelBusySeconds)
                .filter(v -> !Double.isNaN(v)).sum();
        return new PipelineResult(scenario, settings, rows, rows / seconds, percentile(latencies, 0.50),
                percentile(latencies, 0.99), summary.stages(), modelBusy / seconds, jvmOptions, inFlight);
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
