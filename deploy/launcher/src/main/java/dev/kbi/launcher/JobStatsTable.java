package dev.kbi.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Prints a job's stats ({@code GET /jobs/{id}/stats} on the writer) as a table: per stage its
 * workers, rows/s, busy and waiting time, batch latency quantiles and dead letters by reason, then
 * the bottleneck with what to change.
 */
final class JobStatsTable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobStatsTable() {
    }

    static void print(String statsJson, PrintStream out) {
        JsonNode stats;
        try {
            stats = JSON.readTree(statsJson);
        } catch (IOException e) {
            out.println("  stats: unreadable (" + e.getMessage() + ")");
            return;
        }
        out.printf("  stats of job %s (%s; JSON: GET /jobs/%s/stats on the writer)%n", stats.path("jobId").asText(),
                stats.path("state").asText(), stats.path("jobId").asText());
        out.printf("  %-13s %7s %9s %8s %8s %6s %7s %8s %8s %8s %8s%n", "stage", "workers", "rows/s", "busy s",
                "wait s", "busy", "blocks", "MiB in", "p50 ms", "p95 ms", "p99 ms");
        stats.path("stages").fields().forEachRemaining(e -> printStage(e.getKey(), e.getValue(), out));
        stats.path("stages").fields().forEachRemaining(e -> e.getValue().path("deadLettersByReason").fields()
                .forEachRemaining(reason -> out.printf("  dead letters, %s: %,d %s%n", e.getKey(),
                        reason.getValue().asLong(), reason.getKey())));
        JsonNode bottleneck = stats.path("bottleneck");
        if (bottleneck.isObject()) {
            out.printf("  bottleneck: %s (busy %.0f%% of its workers' time). %s%n", bottleneck.path("stage").asText(),
                    100 * bottleneck.path("busyShare").asDouble(), bottleneck.path("suggestion").asText());
        }
    }

    private static void printStage(String name, JsonNode stage, PrintStream out) {
        JsonNode latency = stage.path("batchLatencyMillis");
        out.printf("  %-13s %7d %9s %8.1f %8.1f %6s %,7d %8.1f %8s %8s %8s%n", name, stage.path("workers").asInt(),
                number(stage.path("rowsPerSecond"), "%,.1f"), stage.path("busySeconds").asDouble(),
                stage.path("waitingSeconds").asDouble(), percent(stage.path("busyShare")),
                stage.path("blocks").asLong(), stage.path("bytesIn").asLong() / (1024.0 * 1024.0),
                number(latency.path("p50"), "%,.1f"), number(latency.path("p95"), "%,.1f"),
                number(latency.path("p99"), "%,.1f"));
    }

    private static String number(JsonNode value, String format) {
        return value.isNumber() ? String.format(format, value.asDouble()) : "-";
    }

    private static String percent(JsonNode share) {
        return share.isNumber() ? String.format("%.0f%%", 100 * share.asDouble()) : "-";
    }
}
