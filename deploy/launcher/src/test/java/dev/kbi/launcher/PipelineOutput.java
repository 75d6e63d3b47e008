package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.parquet.ParquetRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;

/** Reads a finished job's Parquet output, for the end-to-end tests. */
final class PipelineOutput {

    private PipelineOutput() {
    }

    /** The prediction rows of {@code files} by source; fails on a row id seen twice. */
    static Map<String, Group> predictionsBySource(List<Path> files) throws IOException {
        Map<String, Group> bySource = new HashMap<>();
        Set<String> rowIds = new HashSet<>();
        for (Path file : files) {
            for (Group row : ParquetRows.read(file)) {
                assertTrue(rowIds.add(row.getString("row_id", 0)), "duplicate row id");
                bySource.put(row.getString("source", 0), row);
            }
        }
        return bySource;
    }

    /** Every row of the job's files whose name starts with {@code prefix} ({@code predictions}, {@code dead-letters}). */
    static List<Group> rows(Path jobDir, String prefix) throws IOException {
        List<Group> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(jobDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
                rows.addAll(ParquetRows.read(file));
            }
        }
        return rows;
    }
}
