package dev.kbi.loadtests.gpu;

import dev.kbi.inference.model.ImageClassifier;
import dev.kbi.inference.model.ModelDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Images per second of the inference service's own model code ({@link ImageClassifier}: uint8 in,
 * normalization on the device, softmax, top-k) on a device, per batch size. Used on the lent GPU
 * machine, where DJL runs on a libtorch built there (see load-tests/gpu/README.md), and on CPU for
 * comparison in the same run.
 *
 * <p>Usage: {@code ModelThroughput MODEL_DIR DEVICE SECONDS_PER_POINT BATCH_SIZE...}
 */
public final class ModelThroughput {

    private ModelThroughput() {
    }

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: ModelThroughput MODEL_DIR DEVICE SECONDS_PER_POINT BATCH_SIZE...");
            System.exit(2);
        }
        Path modelDir = Path.of(args[0]);
        String device = args[1];
        double seconds = Double.parseDouble(args[2]);
        try (ImageClassifier classifier = ImageClassifier.load(modelDir, device)) {
            ModelDescriptor.Input in = classifier.descriptor().input();
            for (int i = 3; i < args.length; i++) {
                int batch = Integer.parseInt(args[i]);
                List<byte[]> images = randomImages(batch, in.channels() * in.height() * in.width());
                classifier.classify(images); // warm-up: kernel selection, allocator
                classifier.classify(images);
                long start = System.nanoTime();
                long done = 0;
                while (System.nanoTime() - start < seconds * 1e9) {
                    classifier.classify(images);
                    done += batch;
                }
                double rate = done / ((System.nanoTime() - start) / 1e9);
                System.out.printf("model=%s device=%s batch=%d images/s=%.1f%n",
                        classifier.descriptor().qualifiedName(), device, batch, rate);
            }
        }
    }

    private static List<byte[]> randomImages(int count, int bytes) {
        Random random = new Random(1);
        List<byte[]> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] pixels = new byte[bytes];
            random.nextBytes(pixels);
            images.add(pixels);
        }
        return images;
    }
}
