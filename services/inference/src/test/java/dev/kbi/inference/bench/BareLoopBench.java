package dev.kbi.inference.bench;

import dev.kbi.inference.model.ImageClassifier;
import dev.kbi.inference.model.NaiveClassifier;
import dev.kbi.inference.model.Samples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Images/s of the bare model loop at several batch sizes, and of the naive per-batch reload. Not a
 * test: runs only with {@code -Dkbi.bench=true} ({@code -Dtest=BareLoopBench}).
 */
@EnabledIfSystemProperty(named = "kbi.bench", matches = "true")
class BareLoopBench {

    @Test
    void bare() {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            images.addAll(Samples.images());
        }
        try (ImageClassifier model = ImageClassifier.load(Samples.MODEL_DIR, "cpu")) {
            for (int batch : new int[] {1, 8, 32, 128, 1, 8, 32, 128}) {
                long start = System.nanoTime();
                for (int i = 0; i + batch <= images.size(); i += batch) {
                    model.classify(images.subList(i, i + batch));
                }
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf("BENCH bare batch %d: %.0f img/s%n", batch, (images.size() / batch * batch) / s);
            }
            NaiveClassifier naive = new NaiveClassifier(model.descriptor(),
                    () -> ImageClassifier.load(Samples.MODEL_DIR, "cpu"));
            for (int batch : new int[] {1, 8}) {
                long start = System.nanoTime();
                int n = 400;
                for (int i = 0; i + batch <= n; i += batch) {
                    naive.predict(images.subList(i, i + batch));
                }
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf("BENCH naive batch %d: %.0f img/s%n", batch, n / s);
            }
        }
    }
}
