package dev.kbi.loadtests;

import dev.kbi.common.pipeline.Pipeline;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects every figure of a benchmark run and writes results.json, results.csv and summary.md. */
final class Report {

    private final Map<String, Object> root = new LinkedHashMap<>();
    private final List<PipelineResult> pipelineRuns = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();

    Report(Map<String, Object> machine, Profile profile) {
        root.put("machine", machine);
        root.put("profile", profile);
        root.put("pipelineRuns", pipelineRuns);
    }

    void put(String key, Object value) {
        root.put(key, value);
    }

    void add(PipelineResult result) {
        pipelineRuns.add(result);
    }

    /** A line for summary.md and the console. */
    void line(PrintStream out, String format, Object... args) {
        String line = String.format(format, args);
        summary.add(line);
        out.println(line);
    }

    void write(Path dir) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(),
                root);
        StringBuilder csv = new StringBuilder("scenario,settings,rows,rows_per_s,latency_p50_ms,latency_p99_ms,"
                + "model_busy_fraction,bottleneck,rss_reader_mib,rss_preprocessor_mib,rss_inference_mib,rss_writer_mib,"
                + "jvm_options,inflight_blocks_max,inflight_blocks_mean,inflight_kib_max,inflight_kib_mean\n");
        for (PipelineResult r : pipelineRuns) {
            csv.append(String.format("%s,\"%s\",%d,%.1f,%.0f,%.0f,%.3f,%s,%d,%d,%d,%d,\"%s\",%s%n", r.scenario(),
                    r.settings(), r.rows(), r.rowsPerSecond(), r.latencyP50Millis(), r.latencyP99Millis(),
                    r.modelBusyFraction(), r.bottleneck(), r.peakRssMiB(Pipeline.READER),
                    r.peakRssMiB(Pipeline.PREPROCESSOR), r.peakRssMiB(Pipeline.INFERENCE), r.peakRssMiB(Pipeline.WRITER),
                    r.jvmOptions().isEmpty() ? "" : new java.util.TreeMap<>(r.jvmOptions()), inFlightColumns(r)));
        }
        Files.writeString(dir.resolve("results.csv"), csv);
        Files.writeString(dir.resolve("summary.md"), String.join("\n", summary) + "\n");
    }

    private static String inFlightColumns(PipelineResult r) {
        RunSampler.InFlight f = r.inFlight();
        return f == null ? ",,," : String.format("%d,%.2f,%.1f,%.1f", f.maxBlocks(), f.meanBlocks(),
                f.maxBytes() / 1024.0, f.meanBytes() / 1024.0);
    }
}
