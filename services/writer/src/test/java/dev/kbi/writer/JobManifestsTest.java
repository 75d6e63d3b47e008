package dev.kbi.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.common.job.JobAnnouncement.ErrorLimit;
import dev.kbi.common.job.JobAnnouncement.SkippedFiles;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.PredictionRow;
import dev.kbi.writer.parquet.DeadLetterFormat;
import dev.kbi.writer.parquet.PredictionFormat;
import dev.kbi.writer.parquet.RollingParquetWriter;
import dev.kbi.writer.status.JobState;
import dev.kbi.writer.status.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobManifestsTest {

    private static final SkippedFiles SKIPPED = new SkippedFiles(2, List.of("notes.txt", "logo.svg"));

    @Test
    void jobFoldersAreOnlyEverDirectChildrenOfTheOutputDirectory(@TempDir Path out) {
        JobFolders folders = new JobFolders(out);
        assertEquals(out.resolve("job-1"), folders.of("job-1"));
        for (String bad : List.of("..", "../escape", "/tmp/escape", "a/../../b", "nul\u0000x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> folders.of(bad));
            assertTrue(e.getMessage().startsWith("Invalid job id"), e.getMessage());
        }
    }

    @Test
    void aTerminalStatusIsWrittenWithItsOwnCountsAndTheJobsFiles(@TempDir Path out) throws Exception {
        JobManifests manifests = new JobManifests(new JobFolders(out));
        writePredictions(out, "j", 0, 0, 6);
        writePredictions(out, "j", 1, 40, 3);
        writeDeadLetters(out, "j", 0, 7, 1);
        assertFalse(manifests.write(status("j", JobState.RUNNING, 10, 6, 0, null)), "running: no manifest");
        assertFalse(manifests.isComplete("j"));

        assertTrue(manifests.write(status("j", JobState.SUCCEEDED, 10, 9, 1, "1 of 10 rows dead-lettered")));
        JobManifest manifest = read(out.resolve("j/_SUCCESS"));
        assertEquals(new JobManifest("j", "SUCCEEDED", "1 of 10 rows dead-lettered", "/in", 10, 9, 1,
                List.of("predictions-p0-o0-00000.parquet", "predictions-p1-o40-00000.parquet"),
                List.of("dead-letters-p0-o7-00000.parquet"), 1_000L, 5_000L, SKIPPED), manifest);
        assertFalse(Files.exists(out.resolve("j/_FAILED")));
    }

    @Test
    void aCancelledJobGetsACancelledManifest(@TempDir Path out) throws Exception {
        JobManifests manifests = new JobManifests(new JobFolders(out));
        writePredictions(out, "c", 0, 0, 4);
        assertTrue(manifests.write(status("c", JobState.CANCELLED, 4, 4, 0, "Cancelled after 4 rows were read")));
        assertEquals("CANCELLED", read(out.resolve("c/_CANCELLED")).state());
        assertTrue(manifests.isComplete("c"));
        assertFalse(Files.exists(out.resolve("c/_SUCCESS")));
    }

    @Test
    void theFirstTerminalStatusIsWrittenOnceAndLaterOnesLeaveIt(@TempDir Path out) throws Exception {
        JobManifests manifests = new JobManifests(new JobFolders(out));
        String tooMany = "Too many errors: 3 of 10 rows dead-lettered, over max-errored-rows 2 rows";
        assertTrue(manifests.write(status("j", JobState.FAILED, 10, 2, 3, tooMany)));
        byte[] first = Files.readAllBytes(out.resolve("j/_FAILED"));
        assertEquals("FAILED", read(out.resolve("j/_FAILED")).state());
        assertEquals(tooMany, read(out.resolve("j/_FAILED")).message());

        // The rows still in flight drain: the status moves on, the manifest does not.
        assertFalse(manifests.write(status("j", JobState.FAILED, 10, 7, 3, tooMany)));
        assertEquals(new String(first), new String(Files.readAllBytes(out.resolve("j/_FAILED"))));
        assertFalse(Files.exists(out.resolve("j/_SUCCESS")));
        assertTrue(manifests.isComplete("j"));
    }

    private static JobStatus status(String job, JobState state, long total, long written, long dead, String message) {
        return new JobStatus(job, state, message, "/in", total, written, dead, new ErrorLimit(2, -1), List.of(),
                Map.of(), 1_000L, 2_000L, 4_000L, state.terminal() ? 5_000L : null,
                state.terminal() ? 3_000L : null, SKIPPED);
    }

    private static JobManifest read(Path file) throws Exception {
        return new ObjectMapper().readValue(file.toFile(), JobManifest.class);
    }

    private static Path writePredictions(Path out, String job, int partition, long offset, int rows) throws Exception {
        RollingParquetWriter<PredictionRow> writer = new RollingParquetWriter<>(out.resolve(job),
                PartitionFiles.prefix(ParquetSinkHandler.PREDICTIONS, partition, offset), new PredictionFormat(),
                1_000, 1 << 20);
        for (int i = 0; i < rows; i++) {
            writer.write(new PredictionRow("r" + offset + "-" + i, "s", 1, 2, 3, List.of("a"), new float[] {1f}, "m"));
        }
        return writer.close().get(0).path();
    }

    private static void writeDeadLetters(Path out, String job, int partition, long offset, int rows) throws Exception {
        RollingParquetWriter<DeadLetterRow> writer = new RollingParquetWriter<>(out.resolve(job),
                PartitionFiles.prefix(ParquetSinkHandler.DEAD_LETTERS, partition, offset), new DeadLetterFormat(),
                1_000, 1 << 20);
        for (int i = 0; i < rows; i++) {
            writer.write(new DeadLetterRow("d" + i, "s", "preprocessor", "E", "bad", 1L, null));
        }
        writer.close();
    }
}
