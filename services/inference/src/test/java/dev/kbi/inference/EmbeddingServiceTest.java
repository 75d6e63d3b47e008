package dev.kbi.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.inference.model.Embedding;
import dev.kbi.inference.model.ImageEmbedder;
import dev.kbi.inference.model.ModelOutput;
import dev.kbi.inference.model.Samples;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service started on an embedding model (model.json {@code output.kind} embedding): loaded, warmed up, ready. */
@QuarkusTest
@TestProfile(EmbeddingServiceTest.EmbeddingModel.class)
class EmbeddingServiceTest {

    /** The bundled feature extractor instead of the classifier. */
    public static final class EmbeddingModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("inference.model-dir", "../../models/fashion-mnist-embedding");
        }
    }

    @Inject
    InferenceService service;
    @TestHTTPResource("/q/health/ready")
    URL ready;

    @Test
    void startsReadyAndAnswersWithVectors() throws Exception {
        assertTrue(service.isModelReady(), String.valueOf(service.loadFailure()));
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(ready.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertInstanceOf(ImageEmbedder.class, service.model());
        assertEquals("fashion-mnist-cnn-embedding:1", service.model().descriptor().qualifiedName());
        List<? extends ModelOutput> outputs = service.model().predict(Samples.images().subList(0, 3));
        for (ModelOutput output : outputs) {
            assertInstanceOf(Embedding.class, output);
            assertEquals(Samples.EMBEDDING_DIMENSION, output.embedding().length);
        }
    }
}
