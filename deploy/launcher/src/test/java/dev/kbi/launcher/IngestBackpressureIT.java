package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.lag.ConsumerLag;
import dev.kbi.common.lag.PipelineBacklog;
import dev.kbi.common.pipeline.Pipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backpressure with no reader: a burst on the input topic while the writer is down. The ingest
 * stage stops taking input once the stages after it hold its budget (here 4 blocks of 16 rows), so
 * the burst waits on the input topic instead of being copied ahead of a stage that cannot take it;
 * once the writer is back, every record is written and the job succeeds.
 */
class IngestBackpressureIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples/fashion-mnist");
    private static final Path MODEL = ROOT.resolve("models/fashion-mnist");
    private static final String JOB = "burst";
    private static final int RECORDS = 600;
    private static final int BLOCK_ROWS = 16;
    private static final int BUDGET_BLOCKS = 4;
    private static final Duration HELD_FOR = Duration.ofSeconds(10);

    @Test
    void aBurstWaitsOnTheInputTopicWhileTheWriterIsDown(@TempDir Path temp) throws Exception {
        LaunchOptions options = new LaunchOptions(ROOT, SAMPLES, MODEL, temp.resolve("work"), temp.resolve("out"), JOB,
                2, Duration.ofMinutes(3), true, Map.of("READER_BLOCK_ROWS", Integer.toString(BLOCK_ROWS),
                        "READER_BACKPRESSURE_MAX_ROWS_IN_FLIGHT", Integer.toString(BUDGET_BLOCKS * BLOCK_ROWS)));
        Pipeline stages = options.pipeline();
        try (RunningPipeline pipeline = RunningPipeline.start(options, System.out);
                Admin admin = Admin.create(Map.of("bootstrap.servers", pipeline.bootstrapServers()))) {
            pipeline.kill("local-writer");
            produce(pipeline.bootstrapServers());

            PipelineBacklog downstream = PipelineBacklog.of(admin, stages.downstreamOf(Pipeline.INGEST));
            String ingestGroup = stages.stage(Pipeline.INGEST).groupId();
            long peak = 0;
            long deadline = System.nanoTime() + HELD_FOR.toNanos();
            while (System.nanoTime() < deadline) {
                peak = Math.max(peak, downstream.blocksInFlight());
                Thread.sleep(100);
            }
            long waiting = ConsumerLag.records(admin, ingestGroup, stages.topics().input());
            System.out.printf("Writer down for %s: at most %d blocks in flight downstream (budget %d), %d of %d "
                    + "records held on the input topic%n", HELD_FOR, peak, BUDGET_BLOCKS, waiting, RECORDS);
            // Lag counts offsets: each ingest transaction adds a commit marker per partition it wrote.
            assertTrue(peak <= 3 * BUDGET_BLOCKS, "blocks in flight downstream peaked at " + peak + ", budget "
                    + BUDGET_BLOCKS + " (all " + RECORDS / BLOCK_ROWS + " blocks without backpressure)");
            assertTrue(waiting >= RECORDS / 2, "records still waiting on the input topic: " + waiting);

            pipeline.restart("local-writer");
            Path jobDir = pipeline.awaitSuccess(JOB, Duration.ofMinutes(2));
            assertEquals(RECORDS, PipelineOutput.rows(jobDir, "predictions").size());
        }
    }

    private static void produce(String bootstrap) throws Exception {
        byte[] png = Files.readAllBytes(SAMPLES.resolve("test-00000.png"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Pipeline.defaults().topics().input(),
                        ("b-" + i).getBytes(StandardCharsets.UTF_8), png);
                record.headers().add("content-type", "image/png".getBytes(StandardCharsets.UTF_8));
                record.headers().add("kbi-job-id", JOB.getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.send(new ProducerRecord<>(Pipeline.defaults().topics().jobs(), JOB.getBytes(StandardCharsets.UTF_8),
                    JobJson.write(new JobAnnouncement(JOB, "burst", RECORDS, System.currentTimeMillis())))).get();
        }
    }
}
