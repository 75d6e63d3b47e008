package dev.kbi.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.inference.batch.BatchingClassifier;
import dev.kbi.inference.model.ImageClassifier;
import dev.kbi.inference.model.Samples;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InferenceMetricsTest {

    @Test
    void exportsBatchesRowsAndTheBusyRatioUnderTheirPrometheusNames() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InferenceMetrics metrics = new InferenceMetrics(registry, 1);
        try (ImageClassifier model = ImageClassifier.load(Samples.MODEL_DIR, "cpu");
                BatchingClassifier batcher = BatchingClassifier.start(model, 8, Duration.ZERO, 1, metrics);
                BatchingClassifier.Source source = batcher.newSource()) {
            source.await(source.submit(Samples.images().subList(0, 20)));
        }
        String text = registry.scrape();
        assertEquals(20.0, value(text, "kbi_inference_model_rows_total"));
        assertTrue(value(text, "kbi_inference_model_batches_total") >= 3, text);
        assertTrue(value(text, "kbi_inference_model_busy_seconds_total") > 0, text);
        double ratio = value(text, "kbi_inference_model_busy_ratio");
        assertTrue(ratio > 0 && ratio <= 1, "busy ratio " + ratio);
    }

    private static double value(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(text);
        assertTrue(m.find(), name + " missing in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
