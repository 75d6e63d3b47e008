package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.common.pipeline.Pipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A continuous feed: records with no job id flow through the {@code stream} job while another
 * system keeps producing, the writer rolls a Parquet file at every commit
 * ({@code kbi.stage.commit-interval}, here 1 s) and is killed with SIGKILL in the middle. Every
 * record is written exactly once across the files and the results topic, and the {@code stream}
 * job's status counts each once, with no end.
 */
class StreamingIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");
    private static final int RECORDS = 400;
    private static final Duration SPREAD = Duration.ofSeconds(16);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String STREAM = "stream";

    @Test
    void aContinuousFeedIsWrittenOnceAcrossFileRollsAndAWriterKill(@TempDir Path temp) throws Exception {
        Path output = temp.resolve("out");
        LaunchOptions options = new LaunchOptions(ROOT, SAMPLES, MODEL, temp.resolve("work"), output, "unused", 2,
                TIMEOUT, true, Map.of("KBI_STAGE_COMMIT_INTERVAL", "PT1S"));
        try (RunningPipeline pipeline = RunningPipeline.start(options, System.out)) {
            CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> produce(pipeline.bootstrapServers()));
            pipeline.awaitRowsOut("local-writer", RECORDS / 4.0, TIMEOUT);
            pipeline.kill("local-writer");
            assertTrue(!feed.isDone(), "the feed still runs while the writer is down");
            pipeline.restart("local-writer");
            feed.get();

            Path streamDir = output.resolve(STREAM);
            Set<String> expected = IntStream.range(0, RECORDS).mapToObj(StreamingIT::key)
                    .collect(Collectors.toCollection(TreeSet::new));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            List<String> written = List.of();
            while (System.nanoTime() < deadline && written.size() < RECORDS) {
                written = PipelineOutput.rows(streamDir, "predictions").stream().map(r -> r.getString("key", 0))
                        .sorted().toList();
                Thread.sleep(500);
            }
            assertEquals(List.copyOf(expected), written, "every record once in the stream job's files");
            assertTrue(parquetFiles(streamDir) >= 3, "files rolled at the commits: " + parquetFiles(streamDir));
            assertTrue(!Files.exists(streamDir.resolve("_SUCCESS")), "a continuous feed has no end");

            Map<String, JsonNode> results = ResultsTopic.of(pipeline.bootstrapServers(), STREAM);
            assertEquals(expected, results.keySet(), "every record once on the results topic");
            JsonNode status = awaitWritten(pipeline, RECORDS);
            assertEquals(RECORDS, status.path("rowsWritten").asLong(), status.toString());
            assertEquals("RUNNING", status.path("state").asText(), status.toString());
        }
    }

    /** The stream job's status once it counts {@code rows} written (its events trail the files a moment). */
    private static JsonNode awaitWritten(RunningPipeline pipeline, long rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            String body = pipeline.writer().getOk("/jobs/" + STREAM).orElse(null);
            if (body != null) {
                status = new ObjectMapper().readTree(body);
                if (status.path("rowsWritten").asLong() >= rows) {
                    break;
                }
            }
            Thread.sleep(250);
        }
        return status;
    }

    private static long parquetFiles(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("predictions-")).count();
        }
    }

    private static String key(int i) {
        return String.format("s-%04d", i);
    }

    /** Another system: {@value #RECORDS} images with no job id, spread over {@link #SPREAD}. */
    private static void produce(String bootstrap) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long pause = SPREAD.toMillis() / RECORDS;
            for (int i = 0; i < RECORDS; i++) {
                byte[] png = Files.readAllBytes(SAMPLES.resolve(String.format("test-%05d.png", i % 300)));
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Pipeline.defaults().topics().input(),
                        key(i).getBytes(StandardCharsets.UTF_8), png);
                record.headers().add("content-type", "image/png".getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
                Thread.sleep(pause);
            }
        } catch (Exception e) {
            throw new IllegalStateException("The feed failed: " + e, e);
        }
    }
}
