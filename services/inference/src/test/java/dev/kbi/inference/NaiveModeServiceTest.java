package dev.kbi.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.inference.model.Samples;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code inference.mode=naive} as the service starts it: validated once at startup, then reloaded per batch. */
@QuarkusTest
@TestProfile(NaiveModeServiceTest.Naive.class)
class NaiveModeServiceTest {

    /** The benchmark baseline's settings. */
    public static final class Naive implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("inference.mode", "naive", "inference.batch-size", "4");
        }
    }

    @Inject
    InferenceService service;

    @Test
    void startsReadyAndClassifiesLikeThePooledModel() {
        assertTrue(service.isModelReady(), String.valueOf(service.loadFailure()));
        assertEquals("NaiveClassifier", service.model().getClass().getSimpleName());
        assertEquals(4, service.model().predict(Samples.images().subList(0, 4)).size());
    }
}
