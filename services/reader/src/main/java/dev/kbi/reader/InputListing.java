package dev.kbi.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Lists a job's input files in a stable order (sorted paths), so row ids are the same on every run
 * over the same input.
 */
public final class InputListing {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InputListing() {
    }

    /** The files of {@code input}: a directory (recursive, by extension) or a {@code .jsonl} manifest. */
    public static List<Entry> list(Path input, Set<String> extensions) {
        if (Files.isDirectory(input)) {
            return listDirectory(input, extensions);
        }
        if (Files.isRegularFile(input) && input.toString().endsWith(".jsonl")) {
            return listManifest(input);
        }
        throw new IllegalArgumentException("Reader input " + input
                + " is neither a directory nor a .jsonl manifest (set reader.input)");
    }

    /**
     * Every entry named like an image, whatever it is: a symlink (not followed here; a loop or a
     * target outside the allowed roots is dead-lettered when read), or a directory or special file
     * named {@code *.jpg}. Filtering them out here would drop them from the job silently.
     * Symlinked directories are not descended into.
     */
    private static List<Entry> listDirectory(Path dir, Set<String> extensions) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir))
                    .filter(p -> extensions.contains(extension(p)))
                    .sorted()
                    .map(p -> new Entry(p, null))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + dir, e);
        }
    }

    private static List<Entry> listManifest(Path manifest) {
        List<Entry> entries = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(manifest);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty()) {
                    entries.add(parseLine(manifest, i + 1, line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read manifest " + manifest, e);
        }
        return entries;
    }

    private static Entry parseLine(Path manifest, int lineNumber, String line) {
        try {
            JsonNode path = JSON.readTree(line).get("path");
            if (path == null || !path.isTextual()) {
                return new Entry(null, manifest + ":" + lineNumber + ": no \"path\" string in " + line);
            }
            return new Entry(manifest.toAbsolutePath().getParent().resolve(path.asText()).normalize(), null);
        } catch (IOException e) {
            return new Entry(null, manifest + ":" + lineNumber + ": malformed JSON line: " + e.getMessage());
        }
    }

    private static String extension(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * One input: a file to read, or a manifest line that could not be parsed (still a row of the
     * job, so it is dead-lettered and counted).
     */
    public record Entry(Path path, String error) {

        /** What the row's {@code source} column says. */
        public String source() {
            return path != null ? path.toString() : error;
        }
    }
}
