package dev.kbi.inference.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NaiveClassifierTest {

    @Test
    void reloadsPerBatchAndGivesTheSamePredictionsAsTheHeldModel() throws IOException {
        List<byte[]> images = new ArrayList<>();
        List<String> lines = Files.readAllLines(ImageClassifierTest.SAMPLES.resolve("labels.csv"));
        for (String line : lines.subList(1, 41)) {
            images.add(ImageClassifierTest.grayPixels(ImageClassifierTest.SAMPLES.resolve(line.split(",", 2)[0])));
        }
        AtomicInteger loads = new AtomicInteger();
        try (ImageClassifier held = ImageClassifier.load(ImageClassifierTest.MODEL_DIR, "cpu")) {
            NaiveClassifier naive = new NaiveClassifier(held.descriptor(), () -> {
                loads.incrementAndGet();
                return ImageClassifier.load(ImageClassifierTest.MODEL_DIR, "cpu");
            });
            for (int start = 0; start < images.size(); start += 8) {
                List<byte[]> batch = images.subList(start, start + 8);
                List<Classification> expected = held.classify(batch);
                List<? extends ModelOutput> actual = naive.predict(batch);
                for (int i = 0; i < batch.size(); i++) {
                    assertEquals(expected.get(i).labels(), actual.get(i).labels());
                    assertArrayEquals(expected.get(i).scores(), actual.get(i).scores(), 1e-6f);
                }
            }
        }
        assertEquals(5, loads.get(), "one load per model batch");
    }
}
