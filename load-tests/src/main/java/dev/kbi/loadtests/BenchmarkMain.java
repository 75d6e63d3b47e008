package dev.kbi.loadtests;

import dev.kbi.localkafka.KafkaLibs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmark scenarios and writes results.json, results.csv, summary.md and PNG plots into a
 * results folder. Every ratio is against a baseline measured in the same run on the same machine.
 *
 * <p>Usage: {@code load-tests/run-benchmarks.sh [--quick|--full] [--resnet50] [--results DIR]}.
 */
public final class BenchmarkMain {

    private static final PrintStream OUT = System.out;

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = KafkaLibs.projectRoot(Path.of("").toAbsolutePath())
                .orElseThrow(() -> new IllegalStateException("Run from inside the project checkout"));
        Profile profile = Profile.QUICK;
        boolean resnet = false;
        Path results = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> profile = Profile.QUICK;
                case "--full" -> profile = Profile.FULL;
                case "--resnet50" -> resnet = true;
                case "--results" -> results = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (use --quick|--full, --resnet50, --results DIR)");
            }
        }
        if (results == null) {
            results = root.resolve("load-tests/results")
                    .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                            + profile.name());
        }
        Files.createDirectories(results);
        new BenchmarkMain.Run(root, profile, results, resnet).all();
        OUT.println("Results in " + results);
        System.exit(0);
    }

    /** One benchmark run's state. */
    private static final class Run {
        final Path root;
        final Profile profile;
        final Path results;
        final boolean resnet;
        final Path work;
        final PipelineRun pipeline;
        final Report report;
        final Path samples;
        final Path model;

        Run(Path root, Profile profile, Path results, boolean resnet) throws IOException {
            this.root = root;
            this.profile = profile;
            this.results = results;
            this.resnet = resnet;
            this.work = root.resolve(".work/bench");
            this.pipeline = new PipelineRun(root, work);
            this.report = new Report(MachineInfo.collect(root), profile);
            this.samples = root.resolve("samples/fashion-mnist");
            this.model = root.resolve("models/fashion-mnist");
        }

        void all() throws Exception {
            report.line(OUT, "# Benchmark %s, %s", profile.name(), LocalDateTime.now());
            baselines();
            sweep();
            scaling();
            transport();
            if (resnet) {
                resnet50();
            }
            report.write(results);
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
            double inferenceStage = tuned.stages().stream().filter(s -> s.stage().equals("inference"))
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
                    result.peakRssMiB("reader"), result.peakRssMiB("preprocessor"), result.peakRssMiB("inference"),
                    result.peakRssMiB("writer"));
            return result;
        }
    }
}
