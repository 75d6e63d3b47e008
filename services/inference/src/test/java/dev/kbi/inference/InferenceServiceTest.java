package dev.kbi.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The service as Quarkus starts it: configuration, model load and warm-up, readiness, metrics. */
@QuarkusTest
class InferenceServiceTest {

    @TestHTTPResource("/q/health/ready")
    URL ready;
    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    void readyAfterWarmUpAndExportsTheModelMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(ready.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("kbi-model"), health.body());
        String text = http.send(HttpRequest.newBuilder(URI.create(metrics.toString())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String name : new String[] {"kbi_inference_model_busy_ratio", "kbi_inference_model_batches_total",
                "kbi_inference_model_rows_total", "kbi_inference_model_busy_seconds_total",
                "kbi_inference_queue_rows"}) {
            assertTrue(text.contains(name), name + " missing");
        }
    }
}
