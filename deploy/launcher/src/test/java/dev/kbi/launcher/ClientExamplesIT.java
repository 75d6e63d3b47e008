package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client examples in {@code examples/}, run as the README says against a running pipeline:
 * kcat (Debian {@code kcat}), Python with confluent-kafka (Debian {@code python3-confluent-kafka},
 * run by Debian's {@code /usr/bin/python3}) and a plain Java program given only kafka-clients and
 * its dependencies. Each feeds the same images as a job of its own; each job succeeds with every
 * image written under its file name as key, and each example reads the results back.
 * {@code .ci/run} installs the two Debian packages.
 */
class ClientExamplesIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final int IMAGES = 6;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @BeforeAll
    static void clientsInstalled() throws Exception {
        assertEquals(0, run(List.of("kcat", "-V"), Duration.ofSeconds(10)).exitCode(),
                "kcat is not installed: apt-get install kcat (.ci/run does)");
        assertEquals(0, run(List.of(PYTHON.toString(), "-c", "import confluent_kafka"), Duration.ofSeconds(20))
                .exitCode(), "python3-confluent-kafka is not installed: apt-get install python3-confluent-kafka "
                        + "(.ci/run does)");
    }

    @Test
    void kcatPythonAndPlainJavaFeedTheInputTopicAndReadTheResults(@TempDir Path temp) throws Exception {
        Path images = Files.createDirectories(temp.resolve("images"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            String name = String.format("test-%05d.png", i);
            Files.copy(SAMPLES.resolve(name), images.resolve(name));
            names.add(name);
        }
        Files.writeString(images.resolve("notes.txt"), "not an image: the examples leave it out");
        LaunchOptions options = new LaunchOptions(ROOT, SAMPLES, MODEL, temp.resolve("work"), temp.resolve("out"),
                "unused", 2, TIMEOUT, true, Map.of());
        try (RunningPipeline pipeline = RunningPipeline.start(options, System.out)) {
            String bootstrap = pipeline.bootstrapServers();

            Commands.Output kcat = run(List.of(example("kcat/send-images.sh"), bootstrap, images.toString(), "kcat-job"), TIMEOUT);
            assertEquals(0, kcat.exitCode(), kcat.text());
            assertWrittenWithKeys(pipeline.awaitSuccess("kcat-job", TIMEOUT), names);
            Commands.Output read = run(List.of(example("kcat/read-results.sh"), bootstrap), TIMEOUT);
            assertEquals(0, read.exitCode(), read.text());
            List<String> kcatKeys = Arrays.stream(read.text().split("\n")).filter(l -> l.contains("kbi-job-id=kcat-job"))
                    .map(l -> l.split("\t")[0]).sorted().toList();
            assertEquals(names, kcatKeys, "kcat reads one result per image, keyed by its file name");

            Commands.Output python = run(List.of(PYTHON.toString(), example("python/feed_and_read.py"), bootstrap,
                    images.toString(), "python-job", "90"), TIMEOUT);
            assertEquals(0, python.exitCode(), python.text());
            assertWrittenWithKeys(pipeline.awaitSuccess("python-job", TIMEOUT), names);
            assertEquals(names, printedKeys(python), python.text());

            Commands.Output java = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    kafkaClientsOnly(), example("java/FeedImages.java"), bootstrap, images.toString(), "java-job"),
                    TIMEOUT);
            assertEquals(0, java.exitCode(), java.text());
            assertWrittenWithKeys(pipeline.awaitSuccess("java-job", TIMEOUT), names);
            assertEquals(names, printedKeys(java), java.text());
        }
    }

    /** Every image written once, its file name as key (and, with no kbi-row-id, as row id). */
    private static void assertWrittenWithKeys(Path jobDir, List<String> names) throws IOException {
        Map<String, String> keys = new TreeMap<>();
        for (Group row : PipelineOutput.rows(jobDir, "predictions")) {
            assertEquals(null, keys.put(row.getString("row_id", 0), row.getString("key", 0)), "written twice");
        }
        assertEquals(names.stream().collect(Collectors.toMap(n -> n, n -> n, (a, b) -> a, TreeMap::new)), keys);
        assertTrue(PipelineOutput.rows(jobDir, "dead-letters").isEmpty(), "no dead letters");
    }

    /** The keys of the "<key> <label> ..." lines an example printed after sending. */
    private static List<String> printedKeys(Commands.Output output) {
        return Arrays.stream(output.text().split("\n")).filter(l -> l.startsWith("test-") && l.contains(".png "))
                .map(l -> l.split(" ")[0]).sorted().toList();
    }

    /** kafka-clients and the libraries it needs, from this test's classpath: no class of this project. */
    private static String kafkaClientsOnly() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar"))
                .filter(entry -> Path.of(entry).getFileName().toString()
                        .matches("(kafka-clients|lz4-java|snappy-java|zstd-jni|slf4j-api)-.*\\.jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String example(String path) {
        return ROOT.resolve("examples").resolve(path).toString();
    }

    private static Commands.Output run(List<String> command, Duration timeout) throws Exception {
        return Commands.run(ROOT, command, Map.of(), timeout);
    }
}
