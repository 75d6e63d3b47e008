package dev.kbi.inference.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The bundled model and its 300 sample images, shared by tests. */
public final class Samples {

    public static final Path MODEL_DIR = ImageClassifierTest.MODEL_DIR;
    private static List<byte[]> images;

    private Samples() {
    }

    /** The sample images as uint8 1x28x28 tensors, in labels.csv order (loaded once). */
    public static synchronized List<byte[]> images() {
        if (images == null) {
            try {
                List<String> lines = Files.readAllLines(ImageClassifierTest.SAMPLES.resolve("labels.csv"));
                List<byte[]> loaded = new ArrayList<>();
                for (String line : lines.subList(1, lines.size())) {
                    loaded.add(ImageClassifierTest.grayPixels(ImageClassifierTest.SAMPLES.resolve(line.split(",", 2)[0])));
                }
                images = List.copyOf(loaded);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return images;
    }

    /** Same top-1 and top-1 score within 1e-4 (what "results do not depend on the batch size" means). */
    public static boolean sameTop1(Classification a, Classification b) {
        return a.labels().get(0).equals(b.labels().get(0)) && Math.abs(a.scores()[0] - b.scores()[0]) <= 1e-4;
    }
}
