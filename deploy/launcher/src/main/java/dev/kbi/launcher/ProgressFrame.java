package dev.kbi.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the progress display shows of a running job at one moment, as Ray Data's per-operator bars do: per stage
 * the job's rows done of its total, the current rate, the consumer lag and consumers of the stage's group, its dead
 * letters, and which stage is the bottleneck; for the job, the time, the ETA and whether the reader waits on its
 * budget (backpressure). Rendered as bars ({@link #bars}) on a terminal, as one line ({@link #line}) elsewhere.
 *
 * @param elapsedSeconds since the job was submitted
 * @param totalRows the job's rows, -1 until the reader has read them all
 * @param backpressure whether the reader waited on its in-flight budget since the last frame
 * @param restarts services restarted during the job, by name
 */
record ProgressFrame(String jobId, double elapsedSeconds, long totalRows, boolean backpressure, List<Stage> stages,
        Map<String, Integer> restarts) {

    private static final int NAME_WIDTH = 13;
    private static final int BAR_WIDTH = 24;

    /**
     * One stage's figures.
     *
     * @param rows the job's rows the stage passed on (the writer: wrote)
     * @param rowsPerSecond its current rate, NaN before two samples
     * @param lagRows rows waiting in its input topics for its group, -1 where it has none or it is unknown
     * @param consumers consumers of its group running now, -1 where it has none
     * @param bottleneck the stage busiest over the last interval
     */
    record Stage(String name, long rows, double rowsPerSecond, long lagRows, int consumers, long deadLetters,
            boolean bottleneck) {
    }

    /** Rows still to be written over the writer's rate, once the total is known; -1 otherwise. */
    double etaSeconds() {
        if (totalRows < 0 || stages.isEmpty()) {
            return -1;
        }
        Stage last = stages.get(stages.size() - 1);
        double rate = last.rowsPerSecond();
        long left = totalRows - last.rows();
        return left <= 0 ? 0 : rate > 0 ? left / rate : -1;
    }

    /** The header and one bar per stage, at most {@code width} characters each. */
    List<String> bars(int width) {
        List<String> lines = new ArrayList<>();
        lines.add(fit(header(), width));
        for (Stage stage : stages) {
            lines.add(fit(bar(stage), width));
        }
        return lines;
    }

    /** Everything on one line, for output that is not a terminal (CI logs, files). */
    String line() {
        StringBuilder line = new StringBuilder(String.format("[%6.1fs]", elapsedSeconds));
        for (Stage stage : stages) {
            line.append(String.format("  %s %,d", stage.name(), stage.rows()));
            if (stage.lagRows() >= 0) {
                line.append(String.format(" (lag %,d)", stage.lagRows()));
            }
            if (stage.bottleneck()) {
                line.append(" *");
            }
        }
        if (totalRows >= 0) {
            line.append(String.format("  of %,d", totalRows));
        }
        line.append(String.format("  | dead letters %,d", deadLetters()));
        if (backpressure) {
            line.append("  | backpressure");
        }
        restarts.forEach((service, count) -> line.append(String.format("  | %s restarted x%d", service, count)));
        return line.toString();
    }

    long deadLetters() {
        return stages.stream().mapToLong(Stage::deadLetters).sum();
    }

    private String header() {
        StringBuilder header = new StringBuilder(String.format("Job %s  %s", jobId, duration(elapsedSeconds)));
        if (totalRows >= 0) {
            header.append(String.format("  %,d rows", totalRows));
            double eta = etaSeconds();
            header.append(eta >= 0 ? "  ETA " + duration(eta) : "  ETA ?");
        } else {
            header.append("  reading");
        }
        header.append(String.format("  dead letters %,d", deadLetters()));
        if (backpressure) {
            header.append("  [backpressure]");
        }
        restarts.forEach((service, count) -> header.append(String.format("  %s restarted x%d", service, count)));
        return header.toString();
    }

    private String bar(Stage stage) {
        long total = totalRows >= 0 ? totalRows : -1;
        double fraction = total > 0 ? Math.min(1.0, (double) stage.rows() / total) : 0;
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        String bar = total > 0 ? "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) : "?".repeat(BAR_WIDTH);
        StringBuilder line = new StringBuilder(String.format("%-" + NAME_WIDTH + "s [%s] %4s %,9d/%s %13s", stage.name(),
                bar, total > 0 ? Math.round(100 * fraction) + "%" : "", stage.rows(),
                total >= 0 ? String.format("%,d", total) : "?", rate(stage.rowsPerSecond())));
        if (stage.lagRows() >= 0) {
            line.append(String.format("  lag %,d", stage.lagRows()));
        }
        if (stage.consumers() >= 0) {
            line.append(String.format("  consumers %d", stage.consumers()));
        }
        if (stage.deadLetters() > 0) {
            line.append(String.format("  dead letters %,d", stage.deadLetters()));
        }
        if (stage.bottleneck()) {
            line.append("  <- bottleneck");
        }
        return line.toString();
    }

    private static String rate(double rowsPerSecond) {
        return Double.isNaN(rowsPerSecond) ? "- rows/s" : String.format("%,.0f rows/s", rowsPerSecond);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : String.format("%.1fs", seconds);
    }

    private static String fit(String line, int width) {
        return width > 0 && line.length() > width ? line.substring(0, width) : line;
    }
}
