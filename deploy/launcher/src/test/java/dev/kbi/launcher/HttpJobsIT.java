package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs over HTTP on the long-running reader, no JVM per job: two jobs submitted at once with
 * {@code POST /jobs} (a Parquet manifest and a JSONL one), one of them cancelled with {@code DELETE /jobs/{id}} while it is read. The
 * other succeeds; the cancelled one announces the rows it read, which are all written, and ends
 * CANCELLED with a {@code _CANCELLED} manifest. Bad requests are refused with their reason. Then
 * the Kubernetes submit Job's script ({@code deploy/kubernetes/base/submit-job.sh}) runs a job
 * through the same reader, which is killed (SIGKILL) mid-job and restarted: the script submits the
 * job again, the reader resumes it, and every row is written exactly once.
 */
class HttpJobsIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");
    private static final int SMALL = 20;
    private static final int LARGE = 3000;
    private static final int MEDIUM = 1000;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoJobsAtOnceOneCancelled(@TempDir Path temp) throws Exception {
        Path inputs = Files.createDirectories(temp.resolve("inputs"));
        List<String> smallPaths = new ArrayList<>();
        for (int i = 0; i < SMALL; i++) {
            smallPaths.add(SAMPLES.resolve(String.format("test-%05d.png", i)).toString());
        }
        Path small = writeParquetManifest(inputs.resolve("small.parquet"), smallPaths);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < LARGE; i++) {
            lines.add("{\"path\": \"" + SAMPLES.resolve(String.format("test-%05d.png", i % 300)) + "\"}");
        }
        Path large = Files.write(inputs.resolve("large.jsonl"), lines);
        // Small blocks and a small budget: the large job is read slowly, so the cancel lands mid-way.
        LaunchOptions options = new LaunchOptions(ROOT, SAMPLES, MODEL, temp.resolve("work"), temp.resolve("out"),
                "unused", 2, TIMEOUT, true, Map.of("READER_ALLOWED_ROOTS", inputs + "," + SAMPLES,
                        "READER_BLOCK_ROWS", "20", "READER_BACKPRESSURE_BLOCKS_PER_STAGE", "2"));
        try (RunningPipeline pipeline = RunningPipeline.start(options, System.out)) {
            URI jobs = pipeline.instance("local-reader").uri("/jobs");

            HttpResponse<String> a = post(jobs, "{\"input\": \"" + small + "\", \"jobId\": \"job-a\"}");
            HttpResponse<String> b = post(jobs, "{\"input\": \"" + large + "\", \"jobId\": \"job-b\"}");
            assertEquals(202, a.statusCode(), a.body());
            assertEquals(202, b.statusCode(), b.body());
            assertEquals(jobs + "/job-b", b.headers().firstValue("Location").orElse(""));
            assertEquals(409, post(jobs, "{\"input\": \"" + large + "\", \"jobId\": \"job-b\"}").statusCode(),
                    "a job id being read is not taken twice");
            assertRefused(post(jobs, "{\"input\": \"" + ROOT.resolve("pom.xml") + "\"}"), 403, "allowed");
            assertRefused(post(jobs, "{\"input\": \"" + small + "\", \"jobId\": \"../x\"}"), 400, "jobId");
            assertRefused(post(jobs, "{\"jobId\": \"x\"}"), 400, "input");

            pipeline.awaitRowsOut("local-writer", SMALL + 100, TIMEOUT);
            HttpResponse<String> cancel = http.send(HttpRequest.newBuilder(URI.create(jobs + "/job-b")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, cancel.statusCode(), cancel.body());

            Path jobA = pipeline.awaitSuccess("job-a", TIMEOUT);
            assertEquals(SMALL, PipelineOutput.rows(jobA, "predictions").size());
            Path jobB = temp.resolve("out/job-b");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!Files.exists(jobB.resolve("_CANCELLED")) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(Files.exists(jobB.resolve("_CANCELLED")), "job-b ends CANCELLED");
            JsonNode status = JSON.readTree(JobStatusQuery.await(pipeline.writer(), "job-b", Duration.ofSeconds(30)));
            assertEquals("CANCELLED", status.path("state").asText(), status.toString());
            long read = status.path("totalRows").asLong();
            assertTrue(read > 0 && read < LARGE, "cancelled mid-way: " + read + " of " + LARGE + " rows read");
            assertEquals(read, status.path("rowsWritten").asLong() + status.path("rowsDeadLettered").asLong());
            assertEquals(read, PipelineOutput.rows(jobB, "predictions").size(), "every row read is written once");

            JsonNode listed = JSON.readTree(get(jobs).body());
            assertEquals(2, listed.size(), listed.toString());
            assertEquals("ANNOUNCED", JSON.readTree(get(URI.create(jobs + "/job-a")).body()).path("state").asText());
            JsonNode b2 = JSON.readTree(get(URI.create(jobs + "/job-b")).body());
            assertEquals("CANCELLED", b2.path("state").asText(), b2.toString());
            assertEquals(read, b2.path("rowsAnnounced").asLong());
            assertEquals(404, get(URI.create(jobs + "/job-z")).statusCode());

            Path medium = Files.write(inputs.resolve("medium.jsonl"), lines.subList(0, MEDIUM));
            submitScriptResubmitsAJobTheReaderForgot(pipeline, medium, temp);
            launcherRestartsAServiceKilledMidJob(pipeline, medium);
        }
    }

    /** {@code kill -9} of inference from outside, as a user or the OOM killer would: the launcher restarts it. */
    private void launcherRestartsAServiceKilledMidJob(RunningPipeline pipeline, Path manifest) throws Exception {
        double writtenBefore = pipeline.rowsOut("local-writer");
        RunningPipeline.Job job = pipeline.submit("job-f", manifest);
        pipeline.awaitRowsOut("local-writer", writtenBefore + 200, TIMEOUT);
        long killed = pipeline.instance("local-inference").pid();
        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        double written = pipeline.rowsOut("local-writer") - writtenBefore;
        assertTrue(written < MEDIUM, "inference must die mid-job: " + written + " of " + MEDIUM + " written");

        JobSummary summary = pipeline.await(job, TIMEOUT);
        assertEquals("SUCCEEDED", summary.state());
        assertTrue(pipeline.instance("local-inference").pid() != killed, "inference was started again");
        JobOutputCheck.assertEveryRowExactlyOnce(summary.jobDir(), "job-f", MEDIUM,
                "inference killed (SIGKILL, from outside the launcher) after " + written + " rows; restarted by it");
    }

    private void submitScriptResubmitsAJobTheReaderForgot(RunningPipeline pipeline, Path manifest, Path temp)
            throws Exception {
        String reader = RunningPipeline.READER_INSTANCE;
        String url = pipeline.instance(reader).uri("").toString();
        Process refused = submitScript(url, "job-d", ROOT.resolve("pom.xml"), temp.resolve("refused.log"));
        assertTrue(refused.waitFor(1, java.util.concurrent.TimeUnit.MINUTES), "the script exits on a refusal");
        String refusal = Files.readString(temp.resolve("refused.log"));
        assertEquals(1, refused.exitValue(), refusal);
        assertTrue(refusal.contains("refused job job-d (HTTP 403)"), refusal);

        double writtenBefore = pipeline.rowsOut("local-writer");
        Path log = temp.resolve("submit.log");
        Process script = submitScript(url, "job-e", manifest, log);
        pipeline.awaitRowsOut("local-writer", writtenBefore + 200, TIMEOUT);
        pipeline.kill(reader);
        double written = pipeline.rowsOut("local-writer") - writtenBefore;
        assertTrue(written < MEDIUM, "the reader must die mid-job: " + written + " of " + MEDIUM + " written");
        pipeline.restart(reader);
        assertTrue(script.waitFor(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS),
                "the script follows the job to its end: " + Files.readString(log));
        String output = Files.readString(log);
        assertEquals(0, script.exitValue(), output);
        assertTrue(output.indexOf("job job-e submitted") != output.lastIndexOf("job job-e submitted"),
                "submitted again once the restarted reader did not know it: " + output);
        assertTrue(output.contains("job job-e: ANNOUNCED"), output);
        Path jobDir = pipeline.awaitSuccess("job-e", TIMEOUT);
        JobOutputCheck.assertEveryRowExactlyOnce(jobDir, "job-e", MEDIUM,
                "reader killed (SIGKILL) after " + written + " rows were written, restarted, the job submitted again");
    }

    /** Runs the Kubernetes submit Job's script against {@code readerUrl}, output to {@code log}. */
    private static Process submitScript(String readerUrl, String jobId, Path input, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", ROOT.resolve("deploy/kubernetes/base/submit-job.sh").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("KBI_READER_URL", readerUrl, "JOB_ID", jobId, "JOB_INPUT",
                input.toString(), "POLL_SECONDS", "1"));
        return builder.start();
    }

    /** A manifest as pyarrow or Spark would write it: one optional string column {@code path}. */
    private static Path writeParquetManifest(Path file, List<String> paths) throws java.io.IOException {
        org.apache.parquet.schema.MessageType schema = org.apache.parquet.schema.Types.buildMessage()
                .optional(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY)
                .as(org.apache.parquet.schema.LogicalTypeAnnotation.stringType()).named("path").named("manifest");
        var rows = new org.apache.parquet.example.data.simple.SimpleGroupFactory(schema);
        try (var writer = org.apache.parquet.hadoop.example.ExampleParquetWriter
                .builder(new org.apache.parquet.io.LocalOutputFile(file))
                .withConf(new org.apache.parquet.conf.PlainParquetConfiguration())
                .withCodecFactory(new dev.kbi.common.parquet.NoHadoopCodecFactory()).withType(schema).build()) {
            for (String path : paths) {
                writer.write(rows.newGroup().append("path", path));
            }
        }
        return file;
    }

    private void assertRefused(HttpResponse<String> response, int status, String reasonPart) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(JSON.readTree(response.body()).path("error").asText().contains(reasonPart), response.body());
    }

    private HttpResponse<String> post(URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
