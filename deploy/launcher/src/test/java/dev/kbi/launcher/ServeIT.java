package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.pipeline.Pipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run-local.sh --serve} as a user runs it: the launcher in its own process prints the
 * broker's address and the job status URL, a job produced to the input topic by another program
 * completes, and SIGTERM (what Ctrl-C sends the JVM as SIGINT) stops every service and the broker
 * before the launcher exits.
 */
class ServeIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Pattern BROKER = Pattern.compile("broker \\(bootstrap\\.servers\\): (\\S+)");
    private static final Pattern STATUS = Pattern.compile("job status: +(\\S+)/<job id>");
    private static final Pattern SUBMIT = Pattern.compile("curl -X POST (\\S+) ");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final String JOB = "served";

    @Test
    void servesOtherSystemsUntilStoppedAndThenStopsEverything(@TempDir Path temp) throws Exception {
        Path log = temp.resolve("serve.log");
        Path output = temp.resolve("out");
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalPipelineMain.class.getName(), "--serve",
                "--output", output.toString(), "--work-dir", temp.resolve("work").toString(), "--partitions", "2")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String bootstrap = awaitLine(launcher, log, BROKER);
            String statusUrl = awaitLine(launcher, log, STATUS);
            List<ProcessHandle> children = launcher.descendants().toList();
            assertTrue(children.size() >= 5, "broker and services run as child processes: " + children.size());

            produce(bootstrap, 3);
            Path success = output.resolve(JOB).resolve("_SUCCESS");
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!Files.exists(success) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(Files.exists(success), "job " + JOB + " completed; launcher output:\n" + Files.readString(log));
            HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(statusUrl + "/" + JOB)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("SUCCEEDED", new ObjectMapper().readTree(status.body()).path("state").asText(), status.body());

            // A job over HTTP, as printed: the samples folder, read by the running reader.
            String jobs = awaitLine(launcher, log, SUBMIT);
            HttpResponse<String> submitted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(jobs))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"input\": \"" + SAMPLES + "\", \"jobId\": \"over-http\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, submitted.statusCode(), submitted.body());
            Path overHttp = output.resolve("over-http").resolve("_SUCCESS");
            deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!Files.exists(overHttp) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(Files.exists(overHttp), "job over-http completed; launcher output:\n" + Files.readString(log));

            launcher.destroy(); // SIGTERM
            assertTrue(launcher.waitFor(2, TimeUnit.MINUTES), "the launcher exits after stopping everything");
            String text = Files.readString(log);
            assertTrue(text.contains("Stopped: services and broker are down"), text);
            children.forEach(child -> assertTrue(!child.isAlive(), "left running: " + child.info()));
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    private static String awaitLine(Process launcher, Path log, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> found = Files.exists(log) ? find(Files.readString(log), pattern) : Optional.empty();
            if (found.isPresent()) {
                return found.get();
            }
            assertTrue(launcher.isAlive(), "the launcher exited:\n" + (Files.exists(log) ? Files.readString(log) : ""));
            Thread.sleep(200);
        }
        throw new AssertionError("No line matching " + pattern + " within " + START_TIMEOUT + ":\n"
                + Files.readString(log));
    }

    private static Optional<String> find(String text, Pattern pattern) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static void produce(String bootstrap, int images) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < images; i++) {
                String name = String.format("test-%05d.png", i);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Pipeline.defaults().topics().input(),
                        name.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(SAMPLES.resolve(name)));
                record.headers().add("kbi-job-id", JOB.getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.send(new ProducerRecord<>(Pipeline.defaults().topics().jobs(), JOB.getBytes(StandardCharsets.UTF_8),
                    JobJson.write(new JobAnnouncement(JOB, "serve test", images, System.currentTimeMillis())))).get();
        }
    }
}
