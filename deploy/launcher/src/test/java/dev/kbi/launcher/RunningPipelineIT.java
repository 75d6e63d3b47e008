package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.pipeline.Pipeline;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two jobs, one after the other, through the same running services, as a pipeline serves jobs in
 * production: each job gets a reader of its own, which stops once its job is done, while the
 * long-running stages stay the same processes; each job's summary counts that job's rows alone,
 * though the stages' counters span both jobs.
 */
class RunningPipelineIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");
    private static final int IMAGES = 300;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Test
    void runsTwoJobsThroughTheSameServicesAndSummarizesEachOnItsOwn(@TempDir Path temp) throws Exception {
        LaunchOptions options = new LaunchOptions(ROOT, SAMPLES, MODEL, temp.resolve("work"), temp.resolve("out"),
                "unused", 2, TIMEOUT, true, Map.of());
        try (RunningPipeline pipeline = RunningPipeline.start(options, System.out)) {
            Map<String, URI> stages = pipeline.metricsEndpoints();
            assertEquals(RunningPipeline.longRunning(Pipeline.defaults()).stream().map(s -> "local-" + s).toList(),
                    stages.keySet().stream().toList());

            RunningPipeline.Job first = pipeline.submit("job-a", SAMPLES);
            assertEquals(stages, pipeline.metricsEndpoints(), "job-a is read by the long-running reader, no JVM of its own");
            JobSummary a = pipeline.await(first, TIMEOUT);
            assertEquals(stages, pipeline.metricsEndpoints(), "the services stayed");

            JobSummary b = pipeline.await(pipeline.submit("job-b", SAMPLES), TIMEOUT);
            assertEquals(stages, pipeline.metricsEndpoints());
            assertTheDashboardAndAlertsReadExportedMetrics(stages);
            // A stage whose workers fail (here: a transaction timeout the broker refuses) is not left up doing
            // nothing: after kbi.stage.exit-after-failure it exits with status 1, for a restart policy to act.
            IllegalStateException exited = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> pipeline.start(Pipeline.PREPROCESSOR, "local-preprocessor-failing", Map.of(
                            "KAFKA_TRANSACTION_TIMEOUT_MS", "999999999", "KBI_STAGE_EXIT_AFTER_FAILURE", "PT2S"),
                            java.util.List.of()));
            assertTrue(exited.getMessage().contains("exited") && exited.getMessage().contains("exiting with status 1"),
                    exited.getMessage());
            pipeline.kill("local-preprocessor-failing"); // forget it: it has exited
            IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> pipeline.submit("job-c", ROOT.resolve("pom.xml")));
            assertTrue(refused.getMessage().contains("HTTP 403") && refused.getMessage().contains("allowed"),
                    "an input outside the reader's allowed roots (the samples) is refused: " + refused.getMessage());

            for (JobSummary job : new JobSummary[] {a, b}) {
                job.print(System.out);
                assertEquals("SUCCEEDED", job.state(), job.jobId());
                assertEquals(IMAGES, job.rowsWritten(), job.jobId());
                assertEquals(IMAGES, PipelineOutput.predictionsBySource(job.files()).size(), job.jobId());
                assertEquals(4, job.stages().size(), job.jobId());
                for (StageStats stage : job.stages()) {
                    // Job-b's stages would count 600 rows if the counters were not taken from its submission.
                    assertEquals(IMAGES, stage.rows(), job.jobId() + " " + stage.stage());
                    if (!stage.stage().equals(Pipeline.READER)) { // the job's own reader, a source, is never busy
                        assertTrue(stage.busySeconds() > 0, job.jobId() + " " + stage.stage() + " busy");
                    }
                }
            }
            assertStatsOfEveryStage(a);
            assertStatsCommandPrints(pipeline, b.jobId());
            double inferenceBusyA = a.stages().stream().filter(s -> s.stage().equals("inference")).findFirst()
                    .orElseThrow().modelBusySeconds();
            double inferenceBusyB = b.stages().stream().filter(s -> s.stage().equals("inference")).findFirst()
                    .orElseThrow().modelBusySeconds();
            assertTrue(inferenceBusyA > 0 && inferenceBusyB > 0, inferenceBusyA + ", " + inferenceBusyB);
            assertFalse(a.jobDir().equals(b.jobDir()));
            for (JobSummary job : new JobSummary[] {a, b}) {
                Map<String, com.fasterxml.jackson.databind.JsonNode> results = ResultsTopic.of(
                        pipeline.bootstrapServers(), job.jobId());
                assertEquals(IMAGES, results.size(), job.jobId() + ": one result per row on the results topic");
                ResultsTopic.assertSameAsPredictions(results, PipelineOutput.rows(job.jobDir(), "predictions"),
                        job.jobId());
                com.fasterxml.jackson.databind.JsonNode sample = results.values().iterator().next();
                assertEquals("fashion-mnist-cnn:1", sample.path("model").asText(), sample.toString());
                assertEquals(3, sample.path("labels").size(), "top-3, as model.json says: " + sample);
                assertTrue(sample.path("embedding").isNull(), sample.toString());
                assertEquals("kbi.predictions", sample.path("input").path("topic").asText(), sample.toString());
            }
        }
    }

    /** The job's stats: every stage with its blocks, bytes, busy time and latency, and a bottleneck with advice. */
    private static void assertStatsOfEveryStage(JobSummary job) throws Exception {
        com.fasterxml.jackson.databind.JsonNode stats = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(job.stats());
        java.util.Set<String> stages = new java.util.TreeSet<>();
        stats.path("stages").fieldNames().forEachRemaining(stages::add);
        assertEquals(new java.util.TreeSet<>(List.of("reader", "preprocessor", "inference", "writer")), stages,
                stats.toString());
        stats.path("stages").fields().forEachRemaining(e -> {
            com.fasterxml.jackson.databind.JsonNode stage = e.getValue();
            String what = job.jobId() + " " + e.getKey() + ": " + stage;
            assertEquals(IMAGES, stage.path("rowsIn").asLong(), what);
            assertTrue(stage.path("workers").asInt() >= 1, what);
            assertTrue(stage.path("blocks").asLong() >= 1 && stage.path("bytesIn").asLong() > 0, what);
            assertTrue(stage.path("busySeconds").asDouble() > 0, what);
            assertTrue(stage.path("busyShare").asDouble() > 0 && stage.path("busyShare").asDouble() <= 1, what);
            double p50 = stage.path("batchLatencyMillis").path("p50").asDouble();
            double p99 = stage.path("batchLatencyMillis").path("p99").asDouble();
            assertTrue(p50 > 0 && p99 >= p50, what);
            assertTrue(stage.path("rowsPerSecond").asDouble() > 0, what);
        });
        assertTrue(stats.path("stages").has(stats.path("bottleneck").path("stage").asText()), stats.toString());
        assertFalse(stats.path("bottleneck").path("suggestion").asText().isBlank(), stats.toString());
    }

    /** {@code run-local.sh --stats JOB --writer URL} prints the job's table from the writer's API. */
    private static void assertStatsCommandPrints(RunningPipeline pipeline, String jobId) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = StatsCommand.run(new String[] {"--stats", jobId, "--writer", pipeline.writer().uri("").toString()},
                new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        String printed = out.toString();
        assertEquals(0, code, err.toString());
        for (String expected : List.of("stats of job " + jobId, "reader", "preprocessor", "inference", "writer",
                "p99 ms", "bottleneck: ")) {
            assertTrue(printed.contains(expected), "'" + expected + "' in:\n" + printed);
        }
        assertEquals(1, StatsCommand.run(new String[] {"--stats", "no-such-job", "--writer",
                pipeline.writer().uri("").toString()}, new java.io.PrintStream(out), new java.io.PrintStream(err)));
        assertTrue(err.toString().contains("HTTP 404"), err.toString());
    }

    /**
     * Every service metric that deploy/monitoring's dashboard and alerts query, and every one README's metrics
     * table names, is one the services export.
     */
    private static void assertTheDashboardAndAlertsReadExportedMetrics(Map<String, URI> endpoints) throws Exception {
        java.util.Set<String> exported = new java.util.TreeSet<>();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (URI endpoint : endpoints.values()) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(endpoint).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            body.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .forEach(line -> exported.add(line.split("[{ ]", 2)[0]));
        }
        java.util.Set<String> queried = new java.util.TreeSet<>(MonitoringQueries.serviceMetrics());
        queried.removeIf(name -> exported.contains(name));
        assertTrue(queried.isEmpty(), "queried by deploy/monitoring but exported by no service: " + queried);
        java.util.Set<String> documented = MonitoringQueries.documentedMetrics();
        assertTrue(documented.size() >= 20, "README's metrics table: " + documented);
        documented.removeIf(name -> MonitoringQueries.exported(name, exported));
        assertTrue(documented.isEmpty(), "in README's metrics table but exported by no service: " + documented);
    }
}
