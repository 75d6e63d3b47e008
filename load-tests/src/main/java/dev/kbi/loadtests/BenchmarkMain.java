package dev.kbi.loadtests;

import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.localkafka.KafkaLibs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import dev.kbi.launcher.StageStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the benchmark scenarios and writes results.json, results.csv, summary.md and PNG plots into a
 * results folder. Every ratio is against a baseline measured in the same run on the same machine.
 *
 * <p>Usage: {@code load-tests/run-benchmarks.sh [--quick|--full] [--resnet50] [--only SCENARIO,...] [--results DIR]}.
 */
public final class BenchmarkMain {

    private static final PrintStream OUT = System.out;
    /** Scenario names for {@code --only}, in the order they run. */
    static final List<String> SCENARIOS = List.of("baselines", "sweep", "scale", "transport", "memory",
            "inference-workers", "budget", "results", "resnet50");

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = KafkaLibs.projectRoot(Path.of("").toAbsolutePath())
                .orElseThrow(() -> new IllegalStateException("Run from inside the project checkout"));
        Profile profile = Profile.QUICK;
        boolean resnet = false;
        Path results = null;
        Set<String> only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> profile = Profile.QUICK;
                case "--full" -> profile = Profile.FULL;
                case "--resnet50" -> resnet = true;
                case "--only" -> only = scenarios(args[++i]);
                case "--results" -> results = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (use --quick|--full, --resnet50, --only SCENARIO,..., --results DIR)");
            }
        }
        Set<String> selected = new LinkedHashSet<>(only != null ? only : SCENARIOS);
        if (only == null) {
            selected.remove("resnet50");
        }
        if (resnet) {
            selected.add("resnet50");
        }
        if (results == null) {
            results = root.resolve("load-tests/results")
                    .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                            + profile.name());
        }
        Files.createDirectories(results);
        new BenchmarkMain.Run(root, profile, results, selected).all();
        OUT.println("Results in " + results);
        System.exit(0);
    }

    private static Set<String> scenarios(String list) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : list.split(",")) {
            if (!SCENARIOS.contains(name.trim())) {
                throw new IllegalArgumentException("Unknown scenario " + name + "; one of " + SCENARIOS);
            }
            names.add(name.trim());
        }
        // Run in the usual order whatever order they were named in.
        Set<String> ordered = new LinkedHashSet<>(SCENARIOS);
        ordered.retainAll(names);
        return ordered;
    }

    /** A scenario of the run. */
    @FunctionalInterface
    private interface Scenario {
        void run() throws Exception;
    }

    /** One benchmark run's state. */
    private static final class Run {
        final Path root;
        final Profile profile;
        final Path results;
        final Set<String> selected;
        final Path work;
        final PipelineRun pipeline;
        final Report report;
        final Path samples;
        final Path model;

        Run(Path root, Profile profile, Path results, Set<String> selected) throws IOException {
            this.root = root;
            this.profile = profile;
            this.results = results;
            this.selected = selected;
            this.work = root.resolve(".work/bench");
            this.pipeline = new PipelineRun(root, work);
            this.report = new Report(MachineInfo.collect(root), profile);
            this.samples = root.resolve("samples/fashion-mnist");
            this.model = root.resolve("models/fashion-mnist");
        }

        void all() throws Exception {
            report.line(OUT, "# Benchmark %s, %s, scenarios %s", profile.name(), LocalDateTime.now(), selected);
            report.put("scenarios", selected);
            Map<String, Scenario> scenarios = Map.of("baselines", this::baselines, "sweep", this::sweep,
                    "scale", this::scaling, "transport", this::transport, "memory", this::memory,
                    "inference-workers", this::inferenceWorkers, "budget", this::budget, "results", this::results,
                    "resnet50", this::resnet50);
            for (String name : selected) {
                scenarios.get(name).run();
                report.write(results); // what ran so far survives a later failure
            }
        }

        /** Ceiling, naive and tuned pipeline on the default model, with their ratios. */
        void baselines() throws Exception {
            double ceiling = CeilingBenchmark.imagesPerSecond(model, profile.ceilingRows(), 32);
            report.put("ceilingImagesPerSecond", ceiling);
            report.line(OUT, "ceiling (bare DJL loop, batch 32, model loaded once): %.1f images/s", ceiling);

            PipelineResult tuned = runPipeline("pipeline", samples, model, profile.pipelineRows(),
                    Map.of("inference.batch-size", "32"));
            PipelineResult naive = runPipeline("naive", samples, model, profile.naiveRows(),
                    Map.of("inference.mode", "naive", "inference.batch-size", "8"));
            PipelineResult kafkaInput = pipeline.run("kafka-input", samples, model, Map.of("inference.batch-size", "32"),
                    new KafkaInputWorkload(samples, profile.pipelineRows(), 256));
            report.add(kafkaInput);
            report.line(OUT, "%-18s %,8d rows produced straight to kbi.images by another producer: %.1f rows/s, p50 %.0f ms",
                    "kafka-input", kafkaInput.rows(), kafkaInput.rowsPerSecond(), kafkaInput.latencyP50Millis());
            double inferenceStage = tuned.stages().stream().filter(s -> s.stage().equals(Pipeline.INFERENCE))
                    .mapToDouble(s -> s.rowsPerSecond()).findFirst().orElse(Double.NaN);
            report.put("ratioPipelineToCeiling", tuned.rowsPerSecond() / ceiling);
            report.put("ratioPipelineToNaive", tuned.rowsPerSecond() / naive.rowsPerSecond());
            report.line(OUT, "ratio pipeline/ceiling: %.2f   pipeline/naive: %.2f   (inference stage alone: %.1f rows/s)",
                    tuned.rowsPerSecond() / ceiling, tuned.rowsPerSecond() / naive.rowsPerSecond(), inferenceStage);
        }

        void sweep() throws Exception {
            List<PipelineResult> sweep = new ArrayList<>();
            for (int concurrency : profile.concurrencies()) {
                for (int batch : profile.batchSizes()) {
                    Map<String, String> settings = new LinkedHashMap<>();
                    settings.put("inference.batch-size", Integer.toString(batch));
                    settings.put("kbi.stage.concurrency", Integer.toString(concurrency));
                    sweep.add(runPipeline("sweep", samples, model, profile.sweepRows(), settings));
                }
            }
            Charts.sweep(sweep, results);
        }

        void scaling() throws Exception {
            List<PipelineResult> scale = new ArrayList<>();
            for (int rows : profile.scaleRows()) {
                scale.add(runPipeline("scale", samples, model, rows, Map.of("inference.batch-size", "32")));
            }
            Charts.scaling(scale, results);
        }

        /**
         * A warm-up job, then the same job at 1x and 10x rows, one after another through the same running
         * services with fixed heaps: peak RSS per service and the bytes in flight, 10x against 1x
         * (criterion: within 10%).
         */
        void memory() throws Exception {
            List<Path> inputs = new ArrayList<>();
            inputs.add(Workload.manifest(samples, profile.memoryRows().get(0), work.resolve("workloads"))); // warm-up
            for (int rows : profile.memoryRows()) {
                inputs.add(Workload.manifest(samples, rows, work.resolve("workloads")));
            }
            List<PipelineResult> jobs = pipeline.runSeries("memory", inputs, model, MemoryScenario.SETTINGS,
                    MemoryScenario.JVM_OPTIONS, true);
            for (int i = 0; i < jobs.size(); i++) {
                PipelineResult result = jobs.get(i);
                report.add(result);
                RunSampler.InFlight f = result.inFlight();
                report.line(OUT, "%-18s %,8d rows %9.1f rows/s  RSS r/p/i/w %d/%d/%d/%d MiB  in flight: blocks max %d"
                        + " mean %.1f, KiB max %.0f mean %.0f (%d samples)", i == 0 ? "memory warm-up" : "memory",
                        result.rows(), result.rowsPerSecond(), result.peakRssMiB(Pipeline.READER),
                        result.peakRssMiB(Pipeline.PREPROCESSOR), result.peakRssMiB(Pipeline.INFERENCE), result.peakRssMiB(Pipeline.WRITER),
                        f.maxBlocks(), f.meanBlocks(), f.maxBytes() / 1024.0, f.meanBytes() / 1024.0, f.samples());
            }
            List<PipelineResult> runs = jobs.subList(1, jobs.size()); // the 1x and 10x jobs
            for (PipelineResult result : runs) {
                MemoryScenario.writeSeries(result, results);
            }
            MemoryScenario.Comparison comparison = MemoryScenario.compare(jobs);
            report.put("memory", comparison);
            for (MemoryScenario.Ratio r : comparison.ratios()) {
                report.line(OUT, "memory %-32s %,10.1f -> %,10.1f %-6s ratio %.3f  %s", r.what(), r.at1x(), r.at10x(),
                        r.unit(), r.ratio(), r.verdict());
            }
            report.line(OUT, "memory: 10x rows within %.0f%% of 1x on every service's peak RSS and the bytes in flight:"
                    + " %s", 100 * MemoryScenario.TOLERANCE, comparison.pass() ? "PASS" : "FAIL");
            Charts.memory(runs, results);
        }

        /**
         * Inference throughput with 1 and 2 workers: consumer threads of the inference stage
         * ({@code kbi.stage.concurrency}, set on the inference JVM only) and model threads sharing the
         * held model ({@code inference.workers}).
         */
        void inferenceWorkers() throws Exception {
            Path manifest = Workload.manifest(samples, profile.workerRows(), work.resolve("workloads"));
            List<Map<String, Object>> points = new ArrayList<>();
            int[][] knobs = {{1, 1}, {2, 1}, {1, 2}};
            for (int[] knob : knobs) {
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("inference.batch-size", "32");
                settings.put("inference.workers", Integer.toString(knob[1]));
                // A system property reaches the inference JVM only (the settings go to every service).
                Map<String, List<String>> jvm = Map.of(Pipeline.INFERENCE, List.of("-Dkbi.stage.concurrency=" + knob[0]));
                PipelineResult r = pipeline.run("inference-workers", manifest, model, settings, null, jvm, false);
                report.add(r);
                double stageRate = r.stage(Pipeline.INFERENCE) == null ? Double.NaN : r.stage(Pipeline.INFERENCE).rowsPerSecond();
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("consumerThreads", knob[0]);
                point.put("modelThreads", knob[1]);
                point.put("rows", r.rows());
                point.put("pipelineRowsPerSecond", r.rowsPerSecond());
                point.put("inferenceStageRowsPerSecond", stageRate);
                point.put("modelBusyFraction", r.modelBusyFraction());
                points.add(point);
                report.line(OUT, "inference-workers  kbi.stage.concurrency=%d inference.workers=%d: %,d rows, pipeline"
                        + " %.1f rows/s, inference stage %.1f rows/s, model busy %.0f%% (summed over model threads)",
                        knob[0], knob[1], r.rows(), r.rowsPerSecond(), stageRate, 100 * r.modelBusyFraction());
            }
            report.put("inferenceWorkers", points);
        }

        /**
         * Throughput against the reader's backpressure budget ({@code reader.backpressure.blocks-per-stage}),
         * each run sampled for what it held in flight, and the same job with backpressure off (everything
         * may queue in Kafka: the unbounded reference), measured in the same run.
         */
        void budget() throws Exception {
            Path manifest = Workload.manifest(samples, profile.budgetRows(), work.resolve("workloads"));
            List<Map<String, Object>> points = new ArrayList<>();
            List<Integer> budgets = new ArrayList<>(profile.budgetBlocksPerStage());
            budgets.add(0); // 0: backpressure off, run last
            List<PipelineResult> runs = new ArrayList<>();
            for (int blocksPerStage : budgets) {
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("inference.batch-size", "32");
                if (blocksPerStage > 0) {
                    settings.put("reader.backpressure.blocks-per-stage", Integer.toString(blocksPerStage));
                } else {
                    settings.put("reader.backpressure.enabled", "false");
                }
                PipelineResult r = pipeline.run("budget", manifest, model, settings, null, Map.of(), true);
                report.add(r);
                runs.add(r);
            }
            PipelineResult unbounded = runs.get(runs.size() - 1);
            for (int i = 0; i < runs.size(); i++) {
                PipelineResult r = runs.get(i);
                RunSampler.InFlight f = r.inFlight();
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("blocksPerStage", budgets.get(i) > 0 ? budgets.get(i) : "off");
                point.put("rows", r.rows());
                point.put("rowsPerSecond", r.rowsPerSecond());
                point.put("ratioToUnbounded", r.rowsPerSecond() / unbounded.rowsPerSecond());
                point.put("modelBusyFraction", r.modelBusyFraction());
                point.put("maxOffsetsInFlight", f.maxBlocks());
                point.put("maxKiBInFlight", f.maxBytes() / 1024.0);
                points.add(point);
                report.line(OUT, "budget  blocks-per-stage %-4s %,8d rows %8.1f rows/s (%.2f of unbounded)  model busy"
                        + " %3.0f%%  in flight max %d offsets, %,.0f KiB  p99 %.0f ms",
                        point.get("blocksPerStage"), r.rows(), r.rowsPerSecond(), point.get("ratioToUnbounded"),
                        100 * r.modelBusyFraction(), f.maxBlocks(), f.maxBytes() / 1024.0, r.latencyP99Millis());
            }
            report.put("budget", points);
        }

        void transport() throws Exception {
            TransportBenchmark.Results transport = TransportBenchmark.run(work.resolve("transport"),
                    List.of(64 << 10, 256 << 10, 1 << 20, 4 << 20), profile.transportMegabytes());
            List<TransportBenchmark.Point> points = transport.points();
            report.put("transport", points);
            report.put("compression", transport.compression());
            for (TransportBenchmark.Compression c : transport.compression()) {
                report.line(OUT, "compression.type=%s on 1 MiB tensor blocks: %.1f MB/s, %.2fx smaller on disk", c.codec(),
                        c.mbPerSecond(), c.ratio());
            }
            for (TransportBenchmark.Point p : points) {
                report.line(OUT, "transport: blocks of %,d B (%d rows): %.1f MB/s; Kafka ProducerPerformance %.1f MB/s"
                        + " (ratio %.2f)", p.blockBytes(), p.rowsPerBlock(), p.pipelineMBps(), p.kafkaMBps(),
                        p.pipelineMBps() / p.kafkaMBps());
            }
            Charts.transport(points, results);
        }

        /**
         * What the results topic costs the writer: the same job with {@code writer.results} on and off,
         * each on warm services (a warm-up job, then two measured jobs), the pair repeated; the
         * writer's busy and wait-for-output seconds per 1,000 rows and the pipeline's rows/s, as the
         * median of the measured jobs with their range, and the on/off ratios of the medians.
         */
        void results() throws Exception {
            Path manifest = Workload.manifest(samples, profile.resultsRows(), work.resolve("workloads"));
            Map<Boolean, List<PipelineResult>> measured = new LinkedHashMap<>();
            for (int rep = 0; rep < 2; rep++) {
                for (boolean on : new boolean[] {true, false}) {
                    Map<String, String> settings = Map.of("inference.batch-size", "32", "writer.results",
                            Boolean.toString(on));
                    List<PipelineResult> jobs = pipeline.runSeries("results", List.of(manifest, manifest, manifest),
                            model, settings, Map.of(), false);
                    for (PipelineResult r : jobs.subList(1, jobs.size())) { // the first warms the services up
                        report.add(r);
                        measured.computeIfAbsent(on, k -> new ArrayList<>()).add(r);
                        StageStats writer = r.stage(Pipeline.WRITER);
                        report.line(OUT, "results writer.results=%-5s %,d rows  pipeline %.1f rows/s  writer busy %.3f s"
                                + " wait-out %.3f s per 1,000 rows", on, r.rows(), r.rowsPerSecond(),
                                1000 * writer.busySeconds() / r.rows(), 1000 * writer.waitOutputSeconds() / r.rows());
                    }
                }
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            for (String metric : List.of("writerBusySecondsPer1000Rows", "writerWaitOutputSecondsPer1000Rows",
                    "pipelineRowsPerSecond")) {
                double[] on = values(measured.get(true), metric);
                double[] off = values(measured.get(false), metric);
                double ratio = median(on) / median(off);
                summary.put(metric, Map.of("on", on, "off", off, "ratioOfMedians", ratio));
                report.line(OUT, "results %-36s on: median %.3f (%.3f-%.3f)  off: median %.3f (%.3f-%.3f)  on/off %.2f",
                        metric, median(on), min(on), max(on), median(off), min(off), max(off), ratio);
            }
            report.put("results", summary);
        }

        private static double[] values(List<PipelineResult> runs, String metric) {
            return runs.stream().mapToDouble(r -> {
                StageStats writer = r.stage(Pipeline.WRITER);
                return switch (metric) {
                    case "writerBusySecondsPer1000Rows" -> 1000 * writer.busySeconds() / r.rows();
                    case "writerWaitOutputSecondsPer1000Rows" -> 1000 * writer.waitOutputSeconds() / r.rows();
                    default -> r.rowsPerSecond();
                };
            }).toArray();
        }

        private static double median(double[] values) {
            double[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        private static double min(double[] values) {
            return java.util.Arrays.stream(values).min().orElse(Double.NaN);
        }

        private static double max(double[] values) {
            return java.util.Arrays.stream(values).max().orElse(Double.NaN);
        }

        /** The ResNet-50-class model at 224x224 (untrained weights: throughput only), if exported. */
        void resnet50() throws Exception {
            Path resnet = root.resolve("load-tests/models/resnet50");
            if (!Files.exists(resnet.resolve("model.pt"))) {
                report.line(OUT, "resnet50: skipped, run /usr/bin/python3 load-tests/models/export_resnet50.py first");
                return;
            }
            double ceiling = CeilingBenchmark.imagesPerSecond(resnet, 256, 32);
            report.put("resnet50CeilingImagesPerSecond", ceiling);
            report.line(OUT, "resnet50 ceiling (batch 32): %.1f images/s", ceiling);
            Path photos = root.resolve("samples/photos");
            Map<String, String> settings = Map.of("inference.batch-size", "32", "preprocessor.channels", "3",
                    "preprocessor.height", "224", "preprocessor.width", "224", "inference.max-batch-wait", "PT0.2S");
            PipelineResult tuned = runPipeline("resnet50-pipeline", photos, resnet, 512, settings);
            Map<String, String> naiveSettings = new LinkedHashMap<>(settings);
            naiveSettings.put("inference.mode", "naive");
            naiveSettings.put("inference.batch-size", "8");
            PipelineResult naive = runPipeline("resnet50-naive", photos, resnet, 64, naiveSettings);
            report.put("resnet50RatioPipelineToCeiling", tuned.rowsPerSecond() / ceiling);
            report.put("resnet50RatioPipelineToNaive", tuned.rowsPerSecond() / naive.rowsPerSecond());
            report.line(OUT, "resnet50 ratio pipeline/ceiling: %.2f   pipeline/naive: %.2f",
                    tuned.rowsPerSecond() / ceiling, tuned.rowsPerSecond() / naive.rowsPerSecond());
        }

        PipelineResult runPipeline(String scenario, Path images, Path modelDir, int rows, Map<String, String> settings)
                throws Exception {
            Path manifest = Workload.manifest(images, rows, work.resolve("workloads"));
            PipelineResult result = pipeline.run(scenario, manifest, modelDir, settings);
            report.add(result);
            report.line(OUT, "%-18s %-60s %,8d rows %9.1f rows/s  p50 %6.0f ms  p99 %6.0f ms  model busy %3.0f%%"
                    + "  bottleneck %-12s RSS r/p/i/w %d/%d/%d/%d MiB", scenario, settings, result.rows(),
                    result.rowsPerSecond(), result.latencyP50Millis(), result.latencyP99Millis(),
                    100 * result.modelBusyFraction(), result.bottleneck(),
                    result.peakRssMiB(Pipeline.READER), result.peakRssMiB(Pipeline.PREPROCESSOR), result.peakRssMiB(Pipeline.INFERENCE),
                    result.peakRssMiB(Pipeline.WRITER));
            return result;
        }
    }
}
