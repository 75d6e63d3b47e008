package dev.kbi.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockSplitter;
import dev.kbi.common.lag.PipelineBacklog;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.runtime.BlockEmitter;
import dev.kbi.common.runtime.BlockHandler;
import dev.kbi.common.runtime.KafkaClients;
import dev.kbi.common.runtime.StageFunction;
import dev.kbi.common.runtime.StageMetrics;
import dev.kbi.common.runtime.StageRunner;
import dev.kbi.common.runtime.StageSettings;
import dev.kbi.common.runtime.TransformHandler;
import dev.kbi.localkafka.KafkaBroker;
import dev.kbi.localkafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader against a real broker and three downstream stages, the middle one artificially slow:
 * the blocks in flight between reader and sink (blocks sent minus blocks the sink has taken,
 * counted exactly, sampled all along) never exceed the budget, and the job still completes with
 * every row.
 */
@ExtendWith(KafkaBrokerExtension.class)
class BackpressureIT {

    private static final long BUDGET_BLOCKS = 6;

    @Test
    void readerStaysWithinTheInFlightBudgetOfASlowPipeline(KafkaBroker broker, @TempDir Path dir) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String images = "bp-images-" + run;
        String tensors = "bp-tensors-" + run;
        String predictions = "bp-predictions-" + run;
        Map<String, String> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        List<InputListing.Entry> files = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            files.add(new InputListing.Entry(Files.write(dir.resolve("f" + i + ".png"), new byte[] {(byte) i}), null));
        }
        try (Admin admin = KafkaClients.admin(kafka, "bp-test");
                BlockCodec codec = new BlockCodec()) {
            admin.createTopics(List.of(new NewTopic(images, 2, (short) 1), new NewTopic(tensors, 2, (short) 1),
                    new NewTopic(predictions, 2, (short) 1), new NewTopic("bp-dlq-" + run, 1, (short) 1),
                    new NewTopic("bp-jobs-" + run, 1, (short) 1))).all().get();
            AtomicLong written = new AtomicLong();
            AtomicLong blocksSent = new AtomicLong();
            AtomicLong blocksDone = new AtomicLong();
            List<StageRunner> stages = List.of(
                    stage("pre-" + run, images, tensors, Duration.ZERO, kafka, codec, run),
                    stage("inf-" + run, tensors, predictions, Duration.ofMillis(150), kafka, codec, run),
                    sink("wri-" + run, predictions, written, blocksDone, kafka, codec, run));
            stages.forEach(StageRunner::start);
            PipelineBacklog backlog = new PipelineBacklog(admin, List.of(
                    new PipelineBacklog.StageInput("pre-" + run, images),
                    new PipelineBacklog.StageInput("inf-" + run, tensors),
                    new PipelineBacklog.StageInput("wri-" + run, predictions)));
            AtomicLong maxObserved = new AtomicLong();
            AtomicBoolean monitoring = new AtomicBoolean(true);
            Thread monitor = new Thread(() -> {
                while (monitoring.get()) {
                    maxObserved.accumulateAndGet(blocksSent.get() - blocksDone.get(), Math::max);
                    Thread.onSpinWait();
                }
            });
            monitor.start();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka, "bp-reader", 1 << 20)) {
                BlockEmitter emitter = new BlockEmitter(producer, new BlockSplitter(codec, 1 << 20), "bp-dlq-" + run,
                        "reader", StageMetrics.inMemory("reader"));
                Backpressure backpressure = new Backpressure(backlog::inFlight, emitter::flush,
                        new Backpressure.Budget(BUDGET_BLOCKS, -1), Duration.ofMillis(50), registry);
                ImageJobReader.Gate countingGate = blockBytes -> {
                    backpressure.awaitCapacity(blockBytes);
                    blocksSent.incrementAndGet(); // the block is sent right after the gate opens
                };
                new ImageJobReader(emitter, images, "bp-jobs-" + run, 2, 1 << 20,
                        new InputFiles(AllowedRoots.forInput(dir), 1 << 20), countingGate)
                        .read("job", dir.toString(), files);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (written.get() < 60 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } finally {
                monitoring.set(false);
                monitor.join();
                stages.forEach(StageRunner::close);
            }
            assertEquals(60, written.get(), "every row reached the sink");
            assertTrue(maxObserved.get() <= BUDGET_BLOCKS,
                    "blocks in flight peaked at " + maxObserved.get() + ", budget " + BUDGET_BLOCKS);
            assertTrue(maxObserved.get() >= BUDGET_BLOCKS / 2, "the pipeline was actually loaded: " + maxObserved.get());
            double waited = registry.get("kbi.reader.backpressure.wait").counter().count();
            assertTrue(waited > 0.5, "the reader waited for the slow stage (" + waited + " s): 30 blocks x 150 ms");
        }
    }

    private static StageRunner stage(String group, String in, String out, Duration delay, Map<String, String> kafka,
            BlockCodec codec, String run) {
        StageFunction<ImageRow, ImageRow> pass = (rows, failures) -> {
            Thread.sleep(delay.toMillis());
            return rows;
        };
        return new StageRunner(settings(group, in, kafka, run), () -> new TransformHandler<>(group, codec,
                ImageRow.SCHEMA, ImageRow.SCHEMA, out, pass, r -> new DeadLetterRow.Identity(r.rowId(), r.source())),
                StageMetrics.inMemory(group), codec);
    }

    private static StageRunner sink(String group, String in, AtomicLong written, AtomicLong blocksDone,
            Map<String, String> kafka, BlockCodec codec, String run) {
        BlockHandler count = (record, out) -> {
            written.addAndGet(codec.decode(ImageRow.SCHEMA, record.value()).size());
            blocksDone.incrementAndGet();
        };
        return new StageRunner(settings(group, in, kafka, run), () -> count, StageMetrics.inMemory(group), codec);
    }

    private static StageSettings settings(String group, String in, Map<String, String> kafka, String run) {
        return new StageSettings(group, List.of(in), group, 1, Duration.ofMillis(100), Duration.ZERO, "bp-dlq-" + run,
                1 << 20, Map.of("bootstrap.servers", kafka.get("bootstrap.servers"), "max.poll.records", "1"));
    }
}
