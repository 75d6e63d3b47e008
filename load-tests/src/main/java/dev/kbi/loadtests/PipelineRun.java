package dev.kbi.loadtests;

import dev.kbi.common.parquet.ParquetRows;
import dev.kbi.launcher.ExternalInput;
import dev.kbi.launcher.JobSummary;
import dev.kbi.launcher.LaunchOptions;
import dev.kbi.launcher.RunningPipeline;
import dev.kbi.launcher.StageStats;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(60);

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
            ExternalInput externalInput) throws Exception {
        return run(scenario, input, modelDir, settings, externalInput, Map.of(), false);
    }

    /**
     * A run with extra JVM options per service ({@code jvmOptions}, appended to the launcher's), and,
     * when {@code sample} is set, the blocks and bytes in flight and the services' JVM memory sampled
     * throughout (see {@link RunSampler}).
     */
    PipelineResult run(String scenario, Path input, Path modelDir, Map<String, String> settings,
            ExternalInput externalInput, Map<String, List<String>> jvmOptions, boolean sample) throws Exception {
        try (RunningPipeline pipeline = start(input, modelDir, settings, jvmOptions)) {
            return runJob(pipeline, scenario, input, settings, externalInput, jvmOptions, sample);
        }
    }

    /**
     * One job per input, one after another, through the same running services, as a pipeline serves
     * jobs in production; each job measured on its own (its peak RSS figures are the services' since they
     * started, so a later job shows whether it raised the high-water mark the earlier ones left).
     */
    List<PipelineResult> runSeries(String scenario, List<Path> inputs, Path modelDir, Map<String, String> settings,
            Map<String, List<String>> jvmOptions, boolean sample) throws Exception {
        List<PipelineResult> results = new ArrayList<>();
        try (RunningPipeline pipeline = start(inputs.get(0), modelDir, settings, jvmOptions)) {
            for (Path input : inputs) {
                results.add(runJob(pipeline, scenario, input, settings, null, jvmOptions, sample));
            }
        }
        return results;
    }

    /** A fresh broker and the long-running services with {@code settings}, as {@code run-local.sh} starts them. */
    private RunningPipeline start(Path input, Path modelDir, Map<String, String> settings,
            Map<String, List<String>> jvmOptions) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        // Workload manifests live under .work/ and name images elsewhere in the checkout; the reader
        // only reads under its allowed roots (default: the manifest's folder).
        env.put("READER_ALLOWED_ROOTS", projectRoot.toString());
        settings.forEach((key, value) -> env.put(LaunchOptions.envName(key), value));
        LaunchOptions options = new LaunchOptions(projectRoot, input, modelDir, workDir.resolve("local"),
                workDir.resolve("output"), "unused", 4, JOB_TIMEOUT, true, env, jvmOptions);
        return RunningPipeline.start(options, new PrintStream(OutputStream.nullOutputStream()));
    }

    private PipelineResult runJob(RunningPipeline pipeline, String scenario, Path input, Map<String, String> settings,
            ExternalInput externalInput, Map<String, List<String>> jvmOptions, boolean sample) throws Exception {
        String jobId = scenario.replaceAll("[^A-Za-z0-9-]", "-") + "-" + System.currentTimeMillis();
        RunSampler sampler = sample ? RunSampler.start(pipeline) : null;
        JobSummary summary;
        try {
            RunningPipeline.Job job = externalInput == null ? pipeline.submit(jobId, input)
                    : pipeline.submit(jobId, input, externalInput);
            summary = pipeline.await(job, JOB_TIMEOUT);
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
