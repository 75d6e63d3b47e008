package dev.kbi.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbi.common.job.JobAnnouncement;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.common.parquet.ParquetRows;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;

/**
 * What a finished job did: the writer's manifest, rows/s per stage, and, when the input folder has
 * a {@code labels.csv} ({@code file,label_index,label}), the top-1 accuracy of the written
 * predictions against it.
 */
public record JobSummary(String jobId, Path jobDir, String state, String message, long totalRows, long rowsWritten,
        long rowsDeadLettered, List<Path> files, double elapsedSeconds, List<StageStats> stages, long labelled,
        long correct, String status, String stats, JobAnnouncement.SkippedFiles skippedFiles) {

    /**
     * The job's manifest in {@code jobDir} once the writer has finished it ({@code _SUCCESS},
     * {@code _FAILED} or {@code _CANCELLED}), or null.
     */
    static Path manifest(Path jobDir) {
        for (String name : List.of("_SUCCESS", "_FAILED", "_CANCELLED")) {
            if (Files.exists(jobDir.resolve(name))) {
                return jobDir.resolve(name);
            }
        }
        return null;
    }

    /** True when the job ended over its error limit. */
    public boolean failed() {
        return "FAILED".equals(state);
    }

    static JobSummary read(Path manifestFile, Path input, StageProgress progress) throws IOException {
        return read(manifestFile, input, progress, null, null);
    }

    /**
     * @param status the job's status JSON from the writer ({@code GET /jobs/{id}}), or null
     * @param stats the job's stats JSON from the writer ({@code GET /jobs/{id}/stats}), or null
     */
    static JobSummary read(Path manifestFile, Path input, StageProgress progress, String status, String stats)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(manifestFile.toFile());
        Path jobDir = manifestFile.getParent();
        List<Path> files = new ArrayList<>();
        manifest.path("files").forEach(f -> files.add(jobDir.resolve(f.asText())));
        Map<String, String> truth = readLabels(input);
        long labelled = 0;
        long correct = 0;
        if (!truth.isEmpty()) {
            for (Path file : files) {
                for (Map.Entry<String, String> row : readTop1(file).entrySet()) {
                    String expected = truth.get(Path.of(row.getKey()).getFileName().toString());
                    if (expected != null) {
                        labelled++;
                        correct += expected.equals(row.getValue()) ? 1 : 0;
                    }
                }
            }
        }
        return new JobSummary(manifest.path("jobId").asText(), jobDir, manifest.path("state").asText("SUCCEEDED"),
                manifest.path("message").isTextual() ? manifest.path("message").asText() : null,
                manifest.path("totalRows").asLong(), manifest.path("rowsWritten").asLong(),
                manifest.path("rowsDeadLettered").asLong(), files, progress.elapsedSeconds(), progress.stageStats(),
                labelled, correct, status, stats, manifest.hasNonNull("skippedFiles")
                        ? json.treeToValue(manifest.path("skippedFiles"), JobAnnouncement.SkippedFiles.class)
                        : JobAnnouncement.SkippedFiles.NONE);
    }

    /** Source path to top-1 label of every row of one output file. */
    static Map<String, String> readTop1(Path file) throws IOException {
        Map<String, String> rows = new HashMap<>();
        for (Group row : ParquetRows.read(file)) {
            if (!ParquetRows.isNull(row, "top1_label")) { // null for an embedding model's rows
                rows.put(row.getString("source", 0), row.getString("top1_label", 0));
            }
        }
        return rows;
    }

    private static Map<String, String> readLabels(Path input) throws IOException {
        Path csv = Files.isDirectory(input) ? input.resolve("labels.csv") : null;
        Map<String, String> labels = new HashMap<>();
        if (csv == null || !Files.isRegularFile(csv)) {
            return labels;
        }
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", 3);
            if (cells.length == 3) {
                labels.put(cells[0], cells[2]);
            }
        }
        return labels;
    }

    /** The stage busy the largest share of its time. */
    public java.util.Optional<StageStats> bottleneck() {
        return stages.stream().max(java.util.Comparator.comparingDouble(StageStats::busyShare));
    }

    void print(PrintStream out) {
        out.println();
        out.println("Job " + jobId + (failed() ? " FAILED" : "CANCELLED".equals(state) ? " CANCELLED" : " complete"));
        if (message != null) {
            out.println("  " + message);
        }
        out.printf("  rows: %,d in, %,d written, %,d dead-lettered%n", totalRows, rowsWritten, rowsDeadLettered);
        if (skippedFiles.count() > 0) {
            out.println("  input: " + skippedFiles.describe());
        }
        out.printf("  time: %.1f s from the reader's start%n", elapsedSeconds);
        out.printf("  %-13s %8s %10s %8s %9s %10s %9s%n", "stage", "rows", "rows/s", "busy s", "wait-in s",
                "wait-out s", "peak RSS");
        for (StageStats s : stages) {
            String rate = Double.isNaN(s.rowsPerSecond()) ? "-" : String.format("%,.1f", s.rowsPerSecond());
            out.printf("  %-13s %,8d %10s %8.1f %9.1f %10.1f %6d MB%n", s.stage(), s.rows(), rate,
                    s.busySeconds(), s.waitInputSeconds(), s.waitOutputSeconds(), s.peakRssBytes() >> 20);
        }
        bottleneck().ifPresent(s -> out.printf("  bottleneck: %s (busy %.0f%% of its time)%n", s.stage(),
                100 * s.busyShare()));
        if (labelled > 0) {
            out.printf("  accuracy: %.2f%% top-1 (%d of %d rows with a known label)%n", 100.0 * correct / labelled,
                    correct, labelled);
        }
        out.println("  output: " + jobDir + " (" + files.size() + " Parquet file(s), manifest "
                + manifest(jobDir).getFileName() + ")");
        if (status != null) {
            printStatus(out);
        }
        if (stats != null) {
            JobStatsTable.print(stats, out);
        }
    }

    /** The job's status as a table; the JSON itself is {@code GET /jobs/<id>} on the writer. */
    private void printStatus(PrintStream out) {
        com.fasterxml.jackson.databind.JsonNode json;
        try {
            json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status);
        } catch (java.io.IOException e) {
            out.println("  status: unreadable (" + e.getMessage() + ")");
            return;
        }
        String statusMessage = json.path("message").isTextual() ? json.path("message").asText() : null;
        out.println("  status (JSON: GET /jobs/" + jobId + " on the writer): " + json.path("state").asText()
                + (statusMessage == null ? "" : " - " + statusMessage));
        long started = json.path("startedAtMillis").asLong();
        out.printf("  %-13s %10s %10s %13s %10s %9s %7s%n", "stage", "rows in", "rows out", "dead letters",
                "first (s)", "last (s)", "events");
        json.path("stages").fields().forEachRemaining(e -> {
            com.fasterxml.jackson.databind.JsonNode stage = e.getValue();
            out.printf("  %-13s %,10d %,10d %,13d %10.1f %9.1f %,7d%n", e.getKey(), stage.path("rowsIn").asLong(),
                    stage.path("rowsOut").asLong(), stage.path("rowsDeadLettered").asLong(),
                    (stage.path("firstAtMillis").asLong() - started) / 1e3,
                    (stage.path("lastAtMillis").asLong() - started) / 1e3, stage.path("events").asLong());
        });
        if (json.path("firstErrors").size() > 0) {
            out.println("  first errors (stage: row: reason):");
            json.path("firstErrors").forEach(error -> out.println("    " + error.asText()));
        }
    }

}
