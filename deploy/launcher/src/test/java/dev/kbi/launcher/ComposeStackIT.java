package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Compose stack ({@code deploy/compose}) run for real on a Docker engine: the images built from
 * this checkout ({@code deploy/docker/build-images.sh}, on a base made from Debian packages unless
 * {@code -Dkbi.compose.base=IMAGE} names one), the stack started with {@code up.sh}, a job of
 * {@value #ROWS} images submitted with {@code submit.sh}, inference scaled to 2 mid-job and one
 * inference container killed ({@code docker kill}) mid-job; the job succeeds with every row written
 * exactly once in the Parquet output; then services started again while the broker is down wait for
 * it and a second job succeeds once it is back; {@code docker-compose down} leaves nothing running.
 *
 * <p>Skipped, saying why, where no Docker engine answers ({@code .ci/run} starts one).
 */
class ComposeStackIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path COMPOSE = ROOT.resolve("deploy/compose");
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final int SAMPLE_IMAGES = 300;
    private static final int ROWS = 2000;
    private static final String JOB = "compose-job";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void buildsStartsScalesSurvivesAKilledInferenceAndStopsClean() throws Exception {
        assumeTrue(dockerAnswers(), "No Docker engine answers `docker info`: the Compose stack test needs one "
                + "(.ci/run installs Debian's docker.io and starts dockerd)");
        Path work = ROOT.resolve(".work/compose-it");
        LocalPipeline.deleteRecursively(work);
        Path input = Files.createDirectories(work.resolve("input"));
        Path output = work.resolve("output");
        writeJobInput(input);
        Map<String, String> env = stackEnvironment(work, input, output);

        String base = System.getProperty("kbi.compose.base", "");
        List<String> build = new ArrayList<>(List.of("deploy/docker/build-images.sh"));
        build.addAll(base.isBlank() ? List.of("--local-base") : List.of("--base", base));
        log("building the images: " + build);
        Commands.succeed(ROOT, build, Map.of("KBI_SKIP_BUILD", "1"), BUILD_TIMEOUT);
        try {
            log("starting the stack (up.sh)");
            Commands.succeed(COMPOSE, List.of("./up.sh"), env, Duration.ofMinutes(5));
            log("stack healthy; submitting " + ROWS + " rows");
            ProcessBuilder submitting = new ProcessBuilder("./submit.sh", "job.jsonl", JOB).directory(COMPOSE.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("submit.log").toFile());
            submitting.environment().putAll(env);
            Process submit = submitting.start();
            URI status = URI.create("http://127.0.0.1:" + env.get("KBI_WRITER_PORT") + "/jobs/" + JOB);

            awaitWritten(status, 100, submit);
            log("100 rows written; scaling inference to 2");
            compose(env, "up", "-d", "--no-deps", "--scale", "inference=2", "inference");
            List<String> inference = containers(env, "inference");
            assertEquals(2, inference.size(), "inference scaled to 2: " + inference);
            awaitHealthy(inference);
            long writtenAtKill = written(status);
            log("2 inference containers healthy; killing " + inference.get(0) + " at " + writtenAtKill + " rows");
            Commands.succeed(ROOT, List.of("docker", "kill", inference.get(0)), Map.of(), Duration.ofSeconds(30));
            assertTrue(writtenAtKill < ROWS, "the kill must land mid-job: " + writtenAtKill + " of " + ROWS);

            assertTrue(submit.waitFor(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                    "the job ends: " + Files.readString(work.resolve("submit.log")));
            String submitted = Files.readString(work.resolve("submit.log"));
            assertEquals(0, submit.exitValue(), submitted);
            assertTrue(submitted.contains("\"state\":\"SUCCEEDED\""), submitted);
            log("job ended");
            JobOutputCheck.assertEveryRowExactlyOnce(output.resolve(JOB), JOB, ROWS,
                    "inference scaled to 2 after 100 rows, one inference container killed after " + writtenAtKill);

            servicesStartedBeforeTheBrokerWaitForIt(env, work);
        } finally {
            String down = Commands.run(COMPOSE, List.of("docker-compose", "down", "-v", "--remove-orphans"), env,
                    Duration.ofMinutes(2)).text();
            String left = Commands.run(ROOT, List.of("docker", "ps", "-a", "-q", "--filter",
                    "label=com.docker.compose.project=" + env.get("COMPOSE_PROJECT_NAME")), Map.of(),
                    Duration.ofSeconds(30)).text();
            assertEquals("", left.strip(), "containers left after down: " + left + "\n" + down);
        }
    }

    /**
     * The broker stopped, preprocessor and inference started again while it is down, then the broker
     * started: a new job over the samples succeeds, one row per image. On the Compose network a stopped
     * container's name does not resolve, and Kafka's clients cannot be created then: the services wait
     * for it at startup ({@code kbi.stage.bootstrap-resolve-timeout}) instead of exiting, so neither is
     * restarted by Compose (same start time, same restart count) and both logged that they waited.
     */
    private static void servicesStartedBeforeTheBrokerWaitForIt(Map<String, String> env, Path work) throws Exception {
        compose(env, "stop", "kafka");
        compose(env, "restart", "preprocessor", "inference");
        List<String> restarted = new ArrayList<>(running(env, "preprocessor"));
        restarted.addAll(running(env, "inference"));
        Map<String, String> started = new HashMap<>();
        for (String container : restarted) {
            started.put(container, inspect(container, "{{.State.StartedAt}} {{.RestartCount}}"));
        }
        log("broker stopped; preprocessor and inference started again without it: " + started.keySet());
        Thread.sleep(15_000);
        compose(env, "start", "kafka");
        log("broker started");
        String job = "after-broker";
        Commands.Output done = Commands.run(COMPOSE, List.of("./submit.sh", "images", job), env, JOB_TIMEOUT);
        assertEquals(0, done.exitCode(), done.text());
        assertTrue(done.text().contains("\"state\":\"SUCCEEDED\""), done.text());
        assertEquals(SAMPLE_IMAGES, PipelineOutput.rows(work.resolve("output").resolve(job), "predictions").size(),
                "one row per image after the broker came back");
        log("job after the broker's return ended");
        for (String container : restarted) {
            assertEquals(started.get(container), inspect(container, "{{.State.StartedAt}} {{.RestartCount}}"),
                    container + " waited for the broker instead of exiting and being restarted");
            String logs = Commands.succeed(ROOT, List.of("docker", "logs", container), Map.of(), Duration.ofSeconds(30));
            assertTrue(logs.contains("No broker address of kafka:9092 resolves yet"), container + " did not wait:\n"
                    + logs.lines().filter(l -> l.contains("WARN") || l.contains("ERROR")).limit(10).toList());
        }
    }

    private static List<String> running(Map<String, String> env, String service) throws Exception {
        List<String> running = new ArrayList<>();
        for (String container : containers(env, service)) {
            if (inspect(container, "{{.State.Running}}").equals("true")) {
                running.add(container);
            }
        }
        return running;
    }

    private static String inspect(String container, String format) throws Exception {
        return Commands.succeed(ROOT, List.of("docker", "inspect", "-f", format, container), Map.of(),
                Duration.ofSeconds(30)).strip();
    }

    private static final long START = System.nanoTime();

    private static void log(String message) {
        System.out.printf("[compose-it %5.1fs] %s%n", (System.nanoTime() - START) / 1e9, message);
    }

    /** The samples once, and a manifest naming them {@value #ROWS} times over (row ids from its lines). */
    private static void writeJobInput(Path input) throws IOException {
        Path images = Files.createDirectories(input.resolve("images"));
        for (int i = 0; i < SAMPLE_IMAGES; i++) {
            String name = String.format("test-%05d.png", i);
            Files.copy(SAMPLES.resolve(name), images.resolve(name));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            lines.add(String.format("{\"path\": \"images/test-%05d.png\"}", i % SAMPLE_IMAGES));
        }
        Files.write(input.resolve("job.jsonl"), lines);
    }

    /**
     * A project of its own on free ports, the job's input and output, and an override file that makes
     * the reader publish small blocks under a small budget, so the job lasts long enough to act on, and
     * gives inference a 10 s session: a container stopped by {@code docker kill} is not restarted, and
     * its static group membership holds its partitions until the session expires (45 s by default).
     */
    private static Map<String, String> stackEnvironment(Path work, Path input, Path output) throws IOException {
        Path override = work.resolve("compose.override.yaml");
        Files.writeString(override, """
                services:
                  reader:
                    environment:
                      READER_BLOCK_ROWS: "20"
                      READER_BACKPRESSURE_BLOCKS_PER_STAGE: "2"
                  inference:
                    environment:
                      KAFKA_SESSION_TIMEOUT_MS: "10000"
                      KAFKA_MAX_BLOCK_MS: "5000"
                  preprocessor:
                    environment:
                      KAFKA_MAX_BLOCK_MS: "5000"
                """);
        Map<String, String> env = new HashMap<>();
        env.put("COMPOSE_PROJECT_NAME", "kbi-it-" + ProcessHandle.current().pid());
        env.put("COMPOSE_FILE", "compose.yaml:" + override);
        env.put("KBI_INPUT_DIR", input.toString());
        env.put("KBI_OUTPUT_DIR", output.toString());
        for (String port : List.of("KBI_KAFKA_PORT", "KBI_READER_PORT", "KBI_WRITER_PORT", "KBI_PROMETHEUS_PORT")) {
            env.put(port, Integer.toString(ServiceLauncher.freePort()));
        }
        return env;
    }

    private static String compose(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker-compose"));
        command.addAll(List.of(args));
        return Commands.succeed(COMPOSE, command, env, Duration.ofMinutes(3));
    }

    private static List<String> containers(Map<String, String> env, String service) throws Exception {
        return compose(env, "ps", "-q", service).lines().filter(l -> !l.isBlank()).map(String::strip).toList();
    }

    private static void awaitHealthy(List<String> containers) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (String id : containers) {
            String health = "";
            while (!health.equals("healthy")) {
                assertTrue(System.nanoTime() < deadline, "container " + id + " not healthy: " + health);
                Thread.sleep(1000);
                health = Commands.succeed(ROOT, List.of("docker", "inspect", "-f", "{{.State.Health.Status}}", id),
                        Map.of(), Duration.ofSeconds(30)).strip();
            }
        }
    }

    private void awaitWritten(URI status, long rows, Process submit) throws Exception {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (written(status) < rows) {
            assertTrue(submit.isAlive() || submit.exitValue() == 0, "submit.sh failed early");
            assertTrue(System.nanoTime() < deadline, "fewer than " + rows + " rows written after " + JOB_TIMEOUT);
            Thread.sleep(250);
        }
    }

    /** The job's rows written so far, from the writer's job status (0 before it knows the job). */
    private long written(URI status) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(5))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return 0;
        }
        JsonNode job = JSON.readTree(response.body());
        return job.path("rowsWritten").asLong();
    }

    private static boolean dockerAnswers() {
        try {
            return Commands.run(ROOT, List.of("docker", "info"), Map.of(), Duration.ofSeconds(30)).exitCode() == 0
                    && Commands.run(ROOT, List.of("docker-compose", "version"), Map.of(), Duration.ofSeconds(30))
                            .exitCode() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
