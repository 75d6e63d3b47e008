package dev.kbi.reader;

import dev.kbi.common.job.JobAnnouncement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputListingTest {

    @Test
    void directoryIsListedRecursivelySortedAndFilteredByExtension(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("b/c"));
        for (String name : List.of("z.png", "a.JPG", "b/c/x.jpeg", "notes.txt", "b/y.png")) {
            Files.write(dir.resolve(name), new byte[] {1});
        }
        List<InputListing.Entry> entries = InputListing.list(dir, Set.of("png", "jpg", "jpeg"));
        assertEquals(List.of("a.JPG", "b/c/x.jpeg", "b/y.png", "z.png"),
                entries.stream().map(e -> dir.relativize(e.path()).toString()).toList());
        assertTrue(entries.stream().allMatch(e -> e.error() == null));
    }

    @Test
    void directoryListsSymlinksAndDirectoriesNamedLikeImagesSoTheyAreNotDroppedSilently(@TempDir Path dir)
            throws IOException {
        Files.createSymbolicLink(dir.resolve("loop.jpg"), Path.of("loop.jpg"));
        Files.createDirectories(dir.resolve("folder.jpg"));
        Files.createDirectories(dir.resolve("album"));
        Files.createSymbolicLink(dir.resolve("linked-album"), dir.resolve("album"));
        Files.write(dir.resolve("album/x.png"), new byte[] {1});
        List<InputListing.Entry> entries = InputListing.list(dir, Set.of("png", "jpg"));
        assertEquals(List.of("album/x.png", "folder.jpg", "loop.jpg"),
                entries.stream().map(e -> dir.relativize(e.path()).toString()).toList(),
                "symlinked folders are not descended into");
    }

    @Test
    void filesLeftOutByExtensionAreCountedAndTheFirstFiveNamed(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        for (String name : List.of("a.png", "notes.txt", "logo.svg", "sub/photo.webp", "sub/b.PNG", "x.pdf",
                "y.heic", "z.avif", "README")) {
            Files.write(dir.resolve(name), new byte[] {1});
        }
        try (InputListing.Listing listing = InputListing.open(dir, Set.of("png"))) {
            List<String> taken = new java.util.ArrayList<>();
            listing.forEachRemaining(e -> taken.add(dir.relativize(e.path()).toString()));
            assertEquals(List.of("a.png", "sub/b.PNG"), taken);
            assertEquals(new JobAnnouncement.SkippedFiles(7, List.of("README", "logo.svg", "notes.txt",
                    "sub/photo.webp", "x.pdf")), listing.skipped());
            assertEquals("7 files left out by extension (not in reader.extensions): README, logo.svg, notes.txt, "
                    + "sub/photo.webp, x.pdf, ...", listing.skipped().describe());
        }
    }

    @Test
    void manifestPathsResolveAgainstTheManifestFolderAndBadLinesStayAsRows(@TempDir Path dir) throws IOException {
        Path manifest = dir.resolve("job.jsonl");
        Files.writeString(manifest, """
                {"path": "images/one.png"}

                {"path": "/abs/two.jpg"}
                not json
                {"file": "three.png"}
                """);
        List<InputListing.Entry> entries = InputListing.list(manifest, Set.of("png"));
        assertEquals(4, entries.size(), "blank lines are skipped, malformed ones are rows");
        assertEquals(dir.resolve("images/one.png").toAbsolutePath(), entries.get(0).path());
        assertEquals(Path.of("/abs/two.jpg"), entries.get(1).path());
        assertNull(entries.get(2).path());
        assertTrue(entries.get(2).error().contains("job.jsonl:4: malformed JSON"), entries.get(2).error());
        assertTrue(entries.get(3).error().contains("job.jsonl:5: no \"path\""), entries.get(3).error());
    }

    @Test
    void csvManifestsNameTheirPathColumnInTheHeader(@TempDir Path dir) throws IOException {
        Path manifest = dir.resolve("job.csv");
        Files.writeString(manifest, """
                id,path,label
                1,images/one.png,cat
                2,"/abs/with, comma.jpg",dog

                3,,bird
                4,"say ""hi"".png",x
                """);
        List<InputListing.Entry> entries = InputListing.list(manifest, Set.of("png"));
        assertEquals(4, entries.size(), "the header and blank lines are no rows, a row without a path is one");
        assertEquals(dir.resolve("images/one.png").toAbsolutePath(), entries.get(0).path());
        assertEquals(Path.of("/abs/with, comma.jpg"), entries.get(1).path());
        assertNull(entries.get(2).path());
        assertTrue(entries.get(2).error().contains("job.csv:5: no path"), entries.get(2).error());
        assertEquals(dir.resolve("say \"hi\".png").toAbsolutePath(), entries.get(3).path());

        Path noPath = Files.writeString(dir.resolve("other.csv"), "file\na.png\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputListing.list(noPath, Set.of("png")));
        assertTrue(e.getMessage().contains("names no \"path\" column"), e.getMessage());
    }

    @Test
    void parquetManifestsAreReadFromTheirPathColumnAcrossRowGroups(@TempDir Path dir) throws IOException {
        Path manifest = dir.resolve("job.parquet");
        List<String> paths = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            paths.add(i == 7 ? null : i == 8 ? "" : i == 9 ? "/abs/nine.png" : "images/" + i + ".png");
        }
        ParquetManifests.write(manifest, "path", paths, 4096);
        assertTrue(ParquetManifests.rowGroups(manifest) > 1, "the test needs several row groups");

        List<InputListing.Entry> entries = InputListing.list(manifest, Set.of("png"));
        assertEquals(3000, entries.size(), "every row is an entry, those without a path too");
        assertEquals(dir.resolve("images/0.png").toAbsolutePath(), entries.get(0).path());
        assertEquals(dir.resolve("images/2999.png").toAbsolutePath(), entries.get(2999).path());
        assertEquals(Path.of("/abs/nine.png"), entries.get(9).path());
        assertTrue(entries.get(7).error().endsWith("job.parquet: row 8: no path"), entries.get(7).error());
        assertTrue(entries.get(8).error().endsWith("job.parquet: row 9: no path"), entries.get(8).error());
    }

    @Test
    void parquetManifestsWithoutAStringPathColumnAreRefusedNamingTheColumns(@TempDir Path dir) throws IOException {
        Path other = dir.resolve("other.parquet");
        ParquetManifests.write(other, "file", List.of("a.png"), 1 << 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputListing.list(other, Set.of("png")));
        assertTrue(e.getMessage().contains("no column \"path\" (columns: [file])"), e.getMessage());

        Path numbers = dir.resolve("numbers.parquet");
        ParquetManifests.writeLongs(numbers, "path", List.of(1L, 2L));
        e = assertThrows(IllegalArgumentException.class, () -> InputListing.list(numbers, Set.of("png")));
        assertTrue(e.getMessage().contains("not a string"), e.getMessage());

        Path notParquet = Files.writeString(dir.resolve("fake.parquet"), "not parquet at all");
        java.io.UncheckedIOException io = assertThrows(java.io.UncheckedIOException.class,
                () -> InputListing.list(notParquet, Set.of("png")));
        assertTrue(io.getMessage().contains("Could not read manifest"), io.getMessage());
    }

    @Test
    void otherInputIsRefusedSayingWhatIsTaken(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("list.txt"), "a.png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputListing.list(file, Set.of("png")));
        assertTrue(e.getMessage().contains("neither a directory nor a .jsonl, .csv or .parquet manifest"), e.getMessage());
    }
}
