package dev.kbi.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaLibsTest {

    @TempDir
    Path root;

    private Path libs(String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.createFile(dir.resolve("kafka_2.13-4.1.2.jar"));
        return dir;
    }

    @Test
    void resolvesInDocumentedOrder() throws IOException {
        Path explicit = libs("explicit");
        Path property = libs("property");
        Path env = libs("env");
        Files.createFile(root.resolve("mvnw"));
        Path inProject = libs(KafkaLibs.IN_PROJECT.toString());
        Path moduleDir = Files.createDirectories(root.resolve("services").resolve("reader"));
        Properties props = new Properties();
        props.setProperty(KafkaLibs.PROPERTY, property.toString());
        Map<String, String> environment = Map.of(KafkaLibs.ENV, env.toString());

        assertEquals(explicit, KafkaLibs.resolve(explicit, props, environment, moduleDir));
        assertEquals(property, KafkaLibs.resolve(null, props, environment, moduleDir));
        assertEquals(env, KafkaLibs.resolve(null, new Properties(), environment, moduleDir));
        assertEquals(inProject, KafkaLibs.resolve(null, new Properties(), Map.of(), moduleDir));
    }

    @Test
    void explainsWhatIsMissing() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> KafkaLibs.resolve(null, new Properties(), Map.of(), root));
        assertTrue(failure.getMessage().contains("mvnw"), failure.getMessage());
    }
}
