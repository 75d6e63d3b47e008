package dev.kbi.reader;

import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.parquet.ParquetStrings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Lists a job's input files in a stable order, so row ids are the same on every run over the same
 * input (and a resumed reader skips exactly what it committed). The listing is streamed: a
 * directory is walked depth first with each folder's entries sorted by name, a manifest read line
 * by line, so the reader's memory does not grow with the number of files in the job.
 */
public final class InputListing {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<Path> BY_NAME = Comparator.comparing(p -> p.getFileName().toString());

    private InputListing() {
    }

    /** The entries of one job's input, one at a time; close it to release the open manifest. */
    public interface Listing extends Iterator<Entry>, AutoCloseable {

        /** The files left out by extension so far (all of them once the listing is exhausted). */
        default JobAnnouncement.SkippedFiles skipped() {
            return JobAnnouncement.SkippedFiles.NONE;
        }

        @Override
        void close();
    }

    /**
     * The files of {@code input}: a directory (recursive, by extension), a {@code .jsonl} manifest
     * ({@code {"path": "..."}} per line) or a {@code .csv} manifest (a header naming a {@code path}
     * column, then one row per file; fields may be quoted, but not span lines) or a {@code .parquet}
     * manifest (a string column {@code path}, one row per file). Relative paths are resolved against
     * the manifest's folder.
     */
    public static Listing open(Path input, Set<String> extensions) {
        if (Files.isDirectory(input)) {
            return new DirectoryWalk(input, extensions);
        }
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(input) && name.endsWith(".jsonl")) {
            return new ManifestLines(input, InputListing::parseLine);
        }
        if (Files.isRegularFile(input) && name.endsWith(".csv")) {
            return new ManifestLines(input, new CsvLines());
        }
        if (Files.isRegularFile(input) && name.endsWith(".parquet")) {
            return new ParquetManifest(input);
        }
        throw new IllegalArgumentException("Reader input " + input
                + " is neither a directory nor a .jsonl, .csv or .parquet manifest");
    }

    /** Every entry of {@code input} at once (tests and small inputs). */
    public static List<Entry> list(Path input, Set<String> extensions) {
        List<Entry> entries = new ArrayList<>();
        try (Listing listing = open(input, extensions)) {
            listing.forEachRemaining(entries::add);
        }
        return entries;
    }

    /** An iterator that computes each entry once, on demand. */
    private abstract static class Lookahead implements Listing {

        private Entry next;

        /** The next entry, or null at the end. */
        abstract Entry advance();

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = advance();
            }
            return next != null;
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Entry entry = next;
            next = null;
            return entry;
        }
    }

    /**
     * Every entry named like an image, whatever it is: a symlink (not followed here; a loop or a
     * target outside the allowed roots is dead-lettered when read), or a directory or special file
     * named {@code *.jpg}. Filtering them out here would drop them from the job silently.
     * Symlinked directories are not descended into. Memory: the sorted entries of the folders on
     * the current path, not the whole tree.
     */
    private static final class DirectoryWalk extends Lookahead {

        private final Path root;
        private final Set<String> extensions;
        private final Deque<Iterator<Path>> folders = new ArrayDeque<>();
        private long skipped;
        private final List<String> skippedExamples = new ArrayList<>();

        DirectoryWalk(Path root, Set<String> extensions) {
            this.root = root;
            this.extensions = extensions;
            folders.push(sortedChildren(root).iterator());
        }

        @Override
        public JobAnnouncement.SkippedFiles skipped() {
            return new JobAnnouncement.SkippedFiles(skipped, skippedExamples);
        }

        @Override
        Entry advance() {
            while (!folders.isEmpty()) {
                Iterator<Path> folder = folders.peek();
                if (!folder.hasNext()) {
                    folders.pop();
                    continue;
                }
                Path path = folder.next();
                boolean isFolder = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
                if (isFolder) {
                    folders.push(sortedChildren(path).iterator()); // after the folder's own entry, if any
                }
                if (extensions.contains(extension(path))) {
                    return new Entry(path, null);
                }
                if (!isFolder) {
                    skip(path);
                }
            }
            return null;
        }

        /** Counted and, among the first few, named: a file left out is never left out silently. */
        private void skip(Path path) {
            skipped++;
            if (skippedExamples.size() < JobAnnouncement.SkippedFiles.MAX_EXAMPLES) {
                skippedExamples.add(root.relativize(path).toString());
            }
        }

        private static List<Path> sortedChildren(Path dir) {
            try (Stream<Path> children = Files.list(dir)) {
                return children.sorted(BY_NAME).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not list " + dir, e);
            }
        }

        @Override
        public void close() {
        }
    }

    /** How a manifest's lines become entries. */
    @FunctionalInterface
    private interface LineFormat {

        /** The line's entry, or null for a line that names no file (a header). */
        Entry parse(Path manifest, int lineNumber, String line);
    }

    /** A manifest read line by line; blank lines are skipped, malformed ones are entries of their own. */
    private static final class ManifestLines extends Lookahead {

        private final Path manifest;
        private final LineFormat format;
        private final BufferedReader lines;
        private int lineNumber;

        ManifestLines(Path manifest, LineFormat format) {
            this.manifest = manifest;
            this.format = format;
            try {
                this.lines = Files.newBufferedReader(manifest);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read manifest " + manifest, e);
            }
        }

        @Override
        Entry advance() {
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    lineNumber++;
                    Entry entry = line.isBlank() ? null : format.parse(manifest, lineNumber, line.strip());
                    if (entry != null) {
                        return entry;
                    }
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read manifest " + manifest, e);
            }
        }

        @Override
        public void close() {
            try {
                lines.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A Parquet manifest: its {@code path} column, streamed; a row with no path is an entry of its own. */
    private static final class ParquetManifest extends Lookahead {

        private final Path manifest;
        private final ParquetStrings paths;
        private long row;

        ParquetManifest(Path manifest) {
            this.manifest = manifest;
            try {
                this.paths = ParquetStrings.open(manifest, "path");
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read manifest " + manifest, e);
            }
        }

        @Override
        Entry advance() {
            if (!paths.hasNext()) {
                return null;
            }
            row++;
            String path = paths.next();
            if (path == null || path.isBlank()) {
                return new Entry(null, manifest + ": row " + row + ": no path");
            }
            return new Entry(manifest.toAbsolutePath().getParent().resolve(path).normalize(), null);
        }

        @Override
        public void close() {
            paths.close();
        }
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

    /**
     * CSV lines: the first names the columns and must have {@code path}; each later one is a file,
     * relative paths resolved against the manifest's folder. A line with no path there is an entry
     * of its own (dead-lettered with the reason).
     */
    private static final class CsvLines implements LineFormat {

        private int pathColumn = -1;

        @Override
        public Entry parse(Path manifest, int lineNumber, String line) {
            List<String> fields = fields(line);
            if (pathColumn < 0) {
                pathColumn = fields.indexOf("path");
                if (pathColumn < 0) {
                    throw new IllegalArgumentException(manifest + ":" + lineNumber
                            + ": the CSV header names no \"path\" column: " + line);
                }
                return null;
            }
            if (fields.size() <= pathColumn || fields.get(pathColumn).isBlank()) {
                return new Entry(null, manifest + ":" + lineNumber + ": no path in " + line);
            }
            return new Entry(manifest.toAbsolutePath().getParent().resolve(fields.get(pathColumn)).normalize(), null);
        }

        /** RFC 4180 fields of one line: commas separate, double quotes enclose, "" is a quote. */
        static List<String> fields(String line) {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    fields.add(field.toString().strip());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            fields.add(field.toString().strip());
            return fields;
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
