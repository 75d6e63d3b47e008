package dev.kbi.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionFilesTest {

    @Test
    void namesCarryKindPartitionAndFirstOffset() {
        String name = PartitionFiles.prefix("dead-letters", 3, 1234) + "-00002.parquet";
        assertEquals(Optional.of(new PartitionFiles.Name("dead-letters", 3, 1234)), PartitionFiles.parse(name));
        assertEquals(Optional.of(new PartitionFiles.Name("predictions", 0, 7)),
                PartitionFiles.parse(".predictions-p0-o7-00000.parquet.inprogress"));
        assertTrue(PartitionFiles.parse("_SUCCESS").isEmpty());
        assertTrue(PartitionFiles.parse("predictions-abc-00000.parquet").isEmpty());
    }

    @Test
    void uncommittedFilesAreThoseOfThePartitionAtOrPastTheCommittedOffset(@TempDir Path out) throws Exception {
        for (String name : List.of("predictions-p0-o0-00000.parquet", "predictions-p0-o10-00000.parquet",
                ".predictions-p0-o12-00000.parquet.inprogress", "predictions-p1-o20-00000.parquet",
                "dead-letters-p0-o30-00000.parquet")) {
            Files.createDirectories(out.resolve("job-a"));
            Files.createFile(out.resolve("job-a").resolve(name));
        }
        Files.createDirectories(out.resolve("job-b"));
        Files.createFile(out.resolve("job-b/predictions-p0-o11-00000.parquet"));

        List<String> found = PartitionFiles.uncommitted(out, "predictions", 0, 10L).stream()
                .map(p -> out.relativize(p).toString()).sorted().toList();

        assertEquals(List.of("job-a/.predictions-p0-o12-00000.parquet.inprogress",
                "job-a/predictions-p0-o10-00000.parquet", "job-b/predictions-p0-o11-00000.parquet"), found);
        assertEquals(4, PartitionFiles.uncommitted(out, "predictions", 0, null).size(), "nothing committed: all of p0");
    }
}
