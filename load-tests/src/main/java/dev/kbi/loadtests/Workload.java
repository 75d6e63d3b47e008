package dev.kbi.loadtests;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Real images scaled to N rows: a JSONL manifest that repeats the files of a folder, so every row
 * gets its own row id while the bytes stay real.
 */
final class Workload {

    private Workload() {
    }

    /** Writes a manifest of {@code rows} lines cycling over the images of {@code images}. */
    static Path manifest(Path images, int rows, Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(images)) {
            files = list.filter(Workload::isImage).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("No images in " + images);
        }
        Files.createDirectories(dir);
        Path manifest = dir.resolve("workload-" + rows + ".jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(manifest)) {
            for (int i = 0; i < rows; i++) {
                out.write("{\"path\": \"" + files.get(i % files.size()).toAbsolutePath() + "\"}\n");
            }
        }
        return manifest;
    }

    private static boolean isImage(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }
}
