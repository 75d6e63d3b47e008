package dev.kbi.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.PredictionRow;
import dev.kbi.writer.parquet.DeadLetterFormat;
import dev.kbi.writer.parquet.PredictionFormat;
import dev.kbi.writer.parquet.RollingParquetWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLedgerTest {

    @Test
    void jobFoldersAreOnlyEverDirectChildrenOfTheOutputDirectory(@TempDir Path out) {
        JobLedger ledger = new JobLedger(out);
        assertEquals(out.resolve("job-1"), ledger.jobDir("job-1"));
        for (String bad : List.of("..", "../escape", "/tmp/escape", "a/../../b", "nul\u0000x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ledger.jobDir(bad));
            assertTrue(e.getMessage().startsWith("Invalid job id"), e.getMessage());
        }
    }

    @Test
    void manifestIsWrittenOnceRowsOnDiskPlusDeadLettersReachTheTotal(@TempDir Path out) throws Exception {
        JobLedger ledger = new JobLedger(out);
        writePredictions(out, "j", 0, 0, 6);
        ledger.filesChanged("j");
        assertFalse(ledger.isComplete("j"), "no announcement yet");
        ledger.announced(new JobAnnouncement("j", "/in", 10, 1L));
        assertFalse(ledger.isComplete("j"), "6 of 10");
        writePredictions(out, "j", 1, 40, 3);
        writeDeadLetters(out, "j", 0, 7, 1);
        ledger.filesChanged("j");
        assertTrue(ledger.isComplete("j"));

        JobManifest manifest = new ObjectMapper().readValue(out.resolve("j/_SUCCESS").toFile(), JobManifest.class);
        assertEquals(JobManifest.SUCCEEDED, manifest.state());
        assertEquals(10, manifest.totalRows());
        assertEquals(9, manifest.rowsWritten());
        assertEquals(1, manifest.rowsDeadLettered());
        assertEquals(List.of("predictions-p0-o0-00000.parquet", "predictions-p1-o40-00000.parquet"), manifest.files());
        assertEquals(List.of("dead-letters-p0-o7-00000.parquet"), manifest.deadLetterFiles());
    }

    @Test
    void aRestartedLedgerCountsWhatEarlierWritersLeftOnDisk(@TempDir Path out) throws Exception {
        writePredictions(out, "j", 0, 0, 4);
        writePredictions(out, "j", 1, 0, 6);

        JobLedger restarted = new JobLedger(out);
        restarted.announced(new JobAnnouncement("j", "/in", 10, 1L));

        assertTrue(restarted.isComplete("j"), "complete from the files alone");
    }

    @Test
    void removingAnUncommittedFileWithdrawsTheManifestUntilTheRowsAreBack(@TempDir Path out) throws Exception {
        JobLedger ledger = new JobLedger(out);
        ledger.announced(new JobAnnouncement("j", "/in", 5, 1L));
        writePredictions(out, "j", 0, 0, 2);
        Path uncommitted = writePredictions(out, "j", 0, 9, 3);
        ledger.filesChanged("j");
        assertTrue(ledger.isComplete("j"));

        ledger.removed(uncommitted);
        Files.delete(uncommitted);
        assertFalse(ledger.isComplete("j"), "the manifest went with the file");
        writePredictions(out, "j", 0, 9, 3);
        ledger.filesChanged("j");
        assertTrue(ledger.isComplete("j"));
    }

    @Test
    void moreRowsThanAnnouncedIsNeverMarkedComplete(@TempDir Path out) throws Exception {
        JobLedger ledger = new JobLedger(out);
        writePredictions(out, "j", 0, 0, 4);
        ledger.announced(new JobAnnouncement("j", "/in", 3, 1L));
        assertFalse(ledger.isComplete("j"));
    }

    @Test
    void deadLettersOverTheJobsErrorLimitMakeItFailedInsteadOfSucceeded(@TempDir Path out) throws Exception {
        JobLedger ledger = new JobLedger(out);
        ledger.announced(new JobAnnouncement("j", "/in", 4, 1L, new JobAnnouncement.ErrorLimit(1, -1)));
        writePredictions(out, "j", 0, 0, 2);
        writeDeadLetters(out, "j", 0, 5, 2);
        ledger.filesChanged("j");

        assertTrue(ledger.isComplete("j"));
        assertFalse(Files.exists(out.resolve("j/_SUCCESS")));
        JobManifest manifest = new ObjectMapper().readValue(out.resolve("j/_FAILED").toFile(), JobManifest.class);
        assertEquals(JobManifest.FAILED, manifest.state());
        // The job status (Verdict) says the same, followed by the first errors.
        assertEquals("Too many errors: 2 of 4 rows dead-lettered, over max-errored-rows 1 row", manifest.message());
    }

    @Test
    void anEmptyJobCompletesOnItsAnnouncement(@TempDir Path out) {
        JobLedger ledger = new JobLedger(out);
        ledger.announced(new JobAnnouncement("empty", "/in", 0, 1L));
        assertTrue(ledger.isComplete("empty"));
        assertTrue(Files.exists(out.resolve("empty/_SUCCESS")));
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
