package dev.kbi.inference.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Intra-op threads and precision on the real engine (CPU). */
class EngineSettingsTest {

    @Test
    void intraOpThreadsTakeEffectEvenAfterTheEngineStarted() {
        int before = EngineThreads.current();
        try {
            assertEquals(1, EngineThreads.configure(1));
            assertEquals("1", System.getProperty(EngineThreads.PROPERTY));
        } finally {
            EngineThreads.configure(before);
        }
        assertThrows(IllegalArgumentException.class, () -> EngineThreads.configure(0));
    }

    @Test
    void halfPrecisionOnTheCpuRunsInFp32WithTheSameResults() {
        try (ImageClassifier fp32 = ImageClassifier.load(Samples.MODEL_DIR, Device.cpu(), Precision.FP32);
                ImageClassifier fp16 = ImageClassifier.load(Samples.MODEL_DIR, Device.cpu(), Precision.FP16)) {
            assertEquals(Precision.FP32, fp16.precision());
            List<byte[]> images = Samples.images().subList(0, 16);
            List<Classification> a = fp32.classify(images);
            List<Classification> b = fp16.classify(images);
            for (int i = 0; i < images.size(); i++) {
                assertEquals(a.get(i).labels(), b.get(i).labels());
            }
        }
    }

    @Test
    void aPrecisionCanNameItsOwnExport(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("model.json"), "{\"name\":\"m\",\"version\":\"1\",\"file\":\"model.pt\","
                + "\"filesByPrecision\":{\"fp16\":\"model-fp16.pt\"},"
                + "\"input\":{\"channels\":1,\"height\":2,\"width\":2},"
                + "\"normalize\":{\"scale\":255,\"mean\":[0.5],\"std\":[0.5]},"
                + "\"output\":{\"kind\":\"classes\",\"labels\":\"labels.txt\",\"topK\":1}}");
        ModelDescriptor descriptor = ModelDescriptor.read(dir);
        assertEquals("model-fp16.pt", descriptor.file(Precision.FP16));
        assertEquals("model.pt", descriptor.file(Precision.BF16));
        assertEquals("model.pt", descriptor.file(Precision.FP32));
        assertEquals(Map.of("fp16", "model-fp16.pt"), descriptor.filesByPrecision());
    }
}
