package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.parquet.example.data.Group;

/**
 * Exactly once, checked on a finished job's output as a user reads it (every Parquet file in the
 * job's folder): each input row is there once, as a prediction or as a dead letter, and nothing else.
 */
final class JobOutputCheck {

    private JobOutputCheck() {
    }

    /**
     * @param jobDir the job's output folder, holding {@code _SUCCESS}
     * @param rows the job's input rows (row ids {@code <job>-00000000} on)
     * @param fault what was done to the job, for the failure messages
     */
    static void assertEveryRowExactlyOnce(Path jobDir, String jobId, int rows, String fault) throws IOException {
        Map<String, Integer> seen = new TreeMap<>();
        List<Group> predictions = PipelineOutput.rows(jobDir, "predictions");
        List<Group> deadLetters = PipelineOutput.rows(jobDir, "dead-letters");
        predictions.forEach(r -> seen.merge(r.getString("row_id", 0), 1, Integer::sum));
        deadLetters.forEach(r -> seen.merge(r.getString("row_id", 0), 1, Integer::sum));
        TreeSet<String> expected = new TreeSet<>(IntStream.range(0, rows)
                .mapToObj(i -> String.format("%s-%08d", jobId, i)).toList());
        Map<String, Integer> repeated = new TreeMap<>(seen);
        repeated.values().removeIf(n -> n == 1);
        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(seen.keySet());
        TreeSet<String> foreign = new TreeSet<>(seen.keySet());
        foreign.removeAll(expected);
        String facts = fault + ": " + predictions.size() + " predictions + " + deadLetters.size()
                + " dead letters for " + rows + " input rows";
        assertTrue(repeated.isEmpty(), facts + "; " + repeated.size() + " row ids more than once, e.g. "
                + first(repeated.keySet()));
        assertTrue(missing.isEmpty(), facts + "; " + missing.size() + " row ids missing, e.g. " + first(missing));
        assertTrue(foreign.isEmpty(), facts + "; rows of no input line: " + first(foreign));
        assertManifestCounts(jobDir, rows, predictions.size(), fault);
    }

    private static void assertManifestCounts(Path jobDir, int rows, int predictions, String fault) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(jobDir.resolve("_SUCCESS").toFile());
        assertEquals(rows, manifest.path("totalRows").asLong(), fault + ": _SUCCESS totalRows");
        assertEquals(predictions, manifest.path("rowsWritten").asLong(), fault + ": _SUCCESS rowsWritten");
        assertEquals(rows, manifest.path("rowsWritten").asLong() + manifest.path("rowsDeadLettered").asLong(),
                fault + ": _SUCCESS written + dead-lettered");
    }

    private static List<String> first(java.util.Collection<String> ids) {
        return ids.stream().limit(5).toList();
    }
}
