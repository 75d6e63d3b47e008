package dev.kbi.launcher;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Writes one job's input: good sample images mixed with every kind of bad file a reader can meet,
 * all made here in code, and a JSONL manifest listing them (a manifest, so that lines can also
 * point outside the root or be malformed). Each line carries what must become of it.
 */
final class BadInputCorpus {

    static final String DECODE = "dev.kbi.preprocessor.image.ImageDecodeException";
    static final String FS = "java.nio.file.FileSystemException";
    static final String OUTSIDE = "dev.kbi.reader.PathOutsideAllowedRoots";
    static final String MALFORMED = "dev.kbi.reader.MalformedManifestLine";
    /** The reader limits the test runs with: small, so the size kinds need no big files. */
    static final int MAX_FILE_BYTES = 1 << 20;
    static final int READER_MAX_MESSAGE_BYTES = 512 << 10;

    /** One manifest line and its fate: written to Parquet, or a dead letter of {@code stage}. */
    record Line(String name, String json, boolean written, String stage, String errorClass, String messagePart) {
    }

    private final Path root;
    private final List<Line> lines = new ArrayList<>();

    private BadInputCorpus(Path root) {
        this.root = root;
    }

    /** Writes the corpus under {@code dir}/root (the reader's allowed root) with {@code goodImages} samples. */
    static BadInputCorpus write(Path dir, Path samples, int goodImages) throws IOException {
        BadInputCorpus corpus = new BadInputCorpus(Files.createDirectories(dir.resolve("root")));
        corpus.goodSamples(samples, goodImages);
        corpus.convertibleImages();
        corpus.badImages(samples);
        corpus.badFiles(dir);
        corpus.badLines();
        Files.write(corpus.manifest(), corpus.lines.stream().map(Line::json).toList());
        return corpus;
    }

    Path manifest() {
        return root.resolve("job.jsonl");
    }

    List<Line> lines() {
        return lines;
    }

    private void goodSamples(Path samples, int count) throws IOException {
        try (Stream<Path> files = Files.list(samples)) {
            for (Path sample : files.filter(f -> f.toString().endsWith(".png")).sorted().limit(count).toList()) {
                written(sample.getFileName().toString(), Files.readAllBytes(sample));
            }
        }
    }

    /** Unusual but valid: converted, not refused (see README "Bad input"). */
    private void convertibleImages() throws IOException {
        written("gray16.png", CorpusImages.gray16Png());
        written("gray-alpha.png", CorpusImages.grayAlphaPng());
        written("palette.png", CorpusImages.palettePng());
        written("cmyk.jpg", CorpusImages.cmykJpeg());
        written("animated.gif", CorpusImages.animatedGif());
    }

    private void badImages(Path samples) throws IOException {
        byte[] png = Files.readAllBytes(samples.resolve("test-00000.png"));
        byte[] jpeg = CorpusImages.jpeg(CorpusImages.noise(64, BufferedImage.TYPE_INT_RGB, 1));
        decodeFails("empty.jpg", new byte[0], "EMPTY: empty input (0 bytes)");
        decodeFails("truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 2), "CORRUPT: truncated or corrupt jpeg");
        decodeFails("bad-crc.png", CorpusImages.withBadChecksum(png), "CORRUPT: corrupt png: chunk IHDR");
        decodeFails("bomb.png", CorpusImages.withDeclaredSize(png, 100_000, 100_000),
                "TOO_LARGE: declared size 100000x100000 exceeds max pixels");
        decodeFails("text.jpg", "a text file named .jpg\n".getBytes(StandardCharsets.UTF_8),
                "UNSUPPORTED_FORMAT: not an image");
        decodeFails("photo.webp", "RIFF\u0024\0\0\0WEBPVP8 \u0018\0\0\0".getBytes(StandardCharsets.ISO_8859_1),
                "UNSUPPORTED_FORMAT: not an image / unsupported format: webp");
        decodeFails("scan.png", "%PDF-1.4\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1),
                "unsupported format: pdf");
    }

    private void badFiles(Path outsideRoot) throws IOException {
        byte[] big = new byte[MAX_FILE_BYTES + 1];
        new Random(7).nextBytes(big);
        refused("too-big.jpg", file("too-big.jpg", big), "dev.kbi.reader.FileTooLarge", "reader.max-file-bytes");
        // Under the file limit but over the topic's message limit: one row too large for any block.
        refused("oversized-row.jpg", file("oversized-row.jpg", Arrays.copyOf(big, READER_MAX_MESSAGE_BYTES + 1024)),
                "dev.kbi.OversizedRow", "does not fit in one block");
        refused("loop.jpg", Files.createSymbolicLink(root.resolve("loop.jpg"), Path.of("loop.jpg")), FS,
                "Too many levels of symbolic links");
        refused("folder.jpg", Files.createDirectory(root.resolve("folder.jpg")), FS, "not a regular file but a directory");
        refused("missing.jpg", root.resolve("missing.jpg"), "java.nio.file.NoSuchFileException", "missing.jpg");
        Path elsewhere = Files.write(outsideRoot.resolve("elsewhere.png"), new byte[] {1});
        refused("escape.png", Files.createSymbolicLink(root.resolve("escape.png"), elsewhere), OUTSIDE,
                "(resolves to " + elsewhere.toRealPath() + ")");
        unreadableFile();
    }

    /**
     * chmod 000 stops everyone but root; this project's build machine runs as root, so there the
     * kind cannot be produced and is left out (the reader's InputFilesTest covers it under an
     * assumption). Elsewhere it must be dead-lettered with AccessDeniedException.
     */
    private void unreadableFile() throws IOException {
        Path file = file("unreadable.jpg", new byte[] {1, 2, 3});
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        if (Files.isReadable(file)) {
            Files.delete(file);
            return;
        }
        refused("unreadable.jpg", file, "java.nio.file.AccessDeniedException", "unreadable.jpg");
    }

    private void badLines() {
        lines.add(reader("../../etc/passwd", "{\"path\": \"../../etc/passwd\"}", OUTSIDE,
                "etc/passwd is outside the reader's allowed roots"));
        lines.add(reader("not json", "{\"path\": ", MALFORMED, "malformed JSON line"));
        lines.add(reader("no path", "{\"file\": \"test-00001.png\"}", MALFORMED, "no \"path\" string"));
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(root.resolve(name), bytes);
    }

    private void written(String name, byte[] bytes) throws IOException {
        file(name, bytes);
        lines.add(new Line(name, pathLine(name), true, null, null, null));
    }

    private void decodeFails(String name, byte[] bytes, String messagePart) throws IOException {
        file(name, bytes);
        lines.add(new Line(name, pathLine(name), false, "preprocessor", DECODE, messagePart));
    }

    private void refused(String name, Path path, String errorClass, String messagePart) {
        lines.add(reader(name, pathLine(root.relativize(path).toString()), errorClass, messagePart));
    }

    private static Line reader(String name, String json, String errorClass, String messagePart) {
        return new Line(name, json, false, "reader", errorClass, messagePart);
    }

    private static String pathLine(String relative) {
        return "{\"path\": \"" + relative + "\"}";
    }
}
