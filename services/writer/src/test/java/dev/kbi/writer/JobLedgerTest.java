package dev.kbi.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.common.job.JobAnnouncement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLedgerTest {

    @Test
    void manifestIsWrittenOnceWrittenPlusDeadLettersReachTheTotal(@TempDir Path out) throws Exception {
        JobLedger ledger = new JobLedger(out);
        ledger.written("j", List.of(out.resolve("j/predictions-a-00000.parquet")), 6, List.of(), 0);
        assertFalse(ledger.isComplete("j"), "no announcement yet");
        ledger.announced(new JobAnnouncement("j", "/in", 10, 1L));
        assertFalse(ledger.isComplete("j"), "6 of 10");
        assertFalse(Files.exists(out.resolve("j/_SUCCESS")));
        ledger.written("j", List.of(out.resolve("j/predictions-b-00000.parquet")), 3,
                List.of(out.resolve("j/dead-letters-b-00000.parquet")), 1);
        assertTrue(ledger.isComplete("j"));

        JobManifest manifest = new ObjectMapper().readValue(out.resolve("j/_SUCCESS").toFile(), JobManifest.class);
        assertEquals(10, manifest.totalRows());
        assertEquals(9, manifest.rowsWritten());
        assertEquals(1, manifest.rowsDeadLettered());
        assertEquals(List.of("predictions-a-00000.parquet", "predictions-b-00000.parquet"), manifest.files());
        assertEquals(List.of("dead-letters-b-00000.parquet"), manifest.deadLetterFiles());
        try (var files = Files.list(out.resolve("j"))) {
            assertEquals(List.of("_SUCCESS"), files.map(p -> p.getFileName().toString()).toList(), "no temp file left");
        }
    }

    @Test
    void anEmptyJobCompletesOnItsAnnouncement(@TempDir Path out) {
        JobLedger ledger = new JobLedger(out);
        ledger.announced(new JobAnnouncement("empty", "/in", 0, 1L));
        assertTrue(ledger.isComplete("empty"));
        assertTrue(Files.exists(out.resolve("empty/_SUCCESS")));
    }
}
