package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strict schema check of the Kubernetes manifests ({@code deploy/kubernetes/tools/validate.sh}):
 * the base, every overlay and every component rendered with kustomize, each object validated against
 * the Kubernetes, KEDA, Strimzi and Prometheus Operator schemas. The project's manifests pass; a copy
 * with one unknown field, one wrong type and one misspelled KEDA trigger key fails, naming each.
 * Needs node and npm (the pinned tools come from the npm registry on first use).
 */
class KubernetesValidationTest {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path MANIFESTS = ROOT.resolve("deploy/kubernetes");
    private static final Path VALIDATE = MANIFESTS.resolve("tools/validate.sh");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) documents, (\\d+) failed");

    @Test
    void theManifestsPassWithEveryObjectChecked() throws Exception {
        Commands.Output output = Commands.run(ROOT, List.of("bash", VALIDATE.toString()), Map.of(), TIMEOUT);
        assertEquals(0, output.exitCode(), output.text());
        Matcher summary = summary(output.text());
        assertEquals("0", summary.group(2), output.text());
        // Base, the GPU overlay and each component: every kind the project ships is among them.
        for (String kind : List.of("Deployment/kbi-inference", "ScaledObject/kbi-writer", "PodDisruptionBudget/",
                "Job/kbi-create-topics", "PodMonitor/kbi", "KafkaTopic/", "KafkaUser/kbi-writer")) {
            assertTrue(output.text().contains(kind), kind + " was not validated:\n" + output.text());
        }
        assertTrue(output.text().contains("overlay-gpu.yaml: Deployment/kbi-inference"), output.text());
    }

    @Test
    void unknownFieldsWrongTypesAndMisspelledTriggerKeysAreRefused(@TempDir Path temp) throws Exception {
        Path copy = temp.resolve("kubernetes");
        copyTree(MANIFESTS, copy);
        edit(copy.resolve("base/writer.yaml"), "terminationGracePeriodSeconds:", "terminationGracePeriodSecond:");
        edit(copy.resolve("base/preprocessor.yaml"), "containerPort: 8080", "containerPort: \"8080\"");
        edit(copy.resolve("base/scaledobjects.yaml"), "lagThreshold:", "lagTreshold:");

        Commands.Output output = Commands.run(ROOT, List.of("bash", VALIDATE.toString(), copy.toString()),
                Map.of(), TIMEOUT);

        assertEquals(1, output.exitCode(), output.text());
        String text = output.text();
        assertTrue(Integer.parseInt(summary(text).group(2)) > 0, text);
        assertTrue(text.contains("base.yaml: Deployment/kbi-writer: ")
                && text.contains("'\"terminationGracePeriodSecond\"' does not exist in type 'IPodSpec'"), text);
        assertTrue(text.contains("base.yaml: Deployment/kbi-preprocessor: ") && text.contains("containerPort"), text);
        assertTrue(text.contains("base.yaml: ScaledObject/kbi-writer: kafka trigger metadata key 'lagTreshold'"),
                text);
    }

    private static Matcher summary(String text) {
        Matcher matcher = SUMMARY.matcher(text);
        assertTrue(matcher.find(), "no summary line:\n" + text);
        return matcher;
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), file + " has no " + from);
        Files.writeString(file, text.replace(from, to));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
