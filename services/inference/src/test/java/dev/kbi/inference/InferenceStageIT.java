package dev.kbi.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.rows.PredictionRow;
import dev.kbi.common.rows.TensorRow;
import dev.kbi.common.runtime.KafkaClients;
import dev.kbi.common.runtime.StageMetrics;
import dev.kbi.common.runtime.StageRunner;
import dev.kbi.common.runtime.StageSettings;
import dev.kbi.inference.batch.BatchingClassifier;
import dev.kbi.inference.model.Classification;
import dev.kbi.inference.model.ImageClassifier;
import dev.kbi.inference.model.Samples;
import dev.kbi.localkafka.KafkaBroker;
import dev.kbi.localkafka.KafkaBrokerExtension;
import dev.kbi.localkafka.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The inference stage against a real broker: the stage runtime, {@link InferenceHandler} and one
 * shared {@link BatchingClassifier} with two consumer threads, on blocks of odd sizes.
 */
@ExtendWith(KafkaBrokerExtension.class)
class InferenceStageIT {

    @Test
    void oddBlocksThroughKafkaComeBackRowForRowWithTheModelsAnswers(KafkaBroker broker) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String in = "it-tensors-" + suffix;
        String out = "it-predictions-" + suffix;
        String dlq = "it-dead-" + suffix;
        Map<String, String> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Topics.ensureTopics(admin, List.of(new NewTopic(in, 4, (short) 1), new NewTopic(out, 4, (short) 1),
                    new NewTopic(dlq, 1, (short) 1)));
        }
        List<byte[]> images = Samples.images();
        int[] sizes = {5, 13, 1, 37};
        Map<String, Integer> rowsPerBlock = new HashMap<>();
        Map<String, Integer> imageOf = new HashMap<>();
        int next = 0;
        try (BlockCodec codec = new BlockCodec();
                KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka, "it", 8 << 20)) {
            for (int seq = 0; seq < 40; seq++) {
                int size = sizes[seq % sizes.length];
                List<TensorRow> rows = new ArrayList<>();
                for (int i = 0; i < size; i++, next++) {
                    String id = "job-" + next;
                    imageOf.put(id, next % images.size());
                    rows.add(new TensorRow(id, "src", 1, 2, 1, 28, 28, images.get(next % images.size())));
                }
                rowsPerBlock.put(String.valueOf(seq), size);
                producer.send(new ProducerRecord<>(in, null, ("job/" + seq).getBytes(), codec.encode(TensorRow.SCHEMA,
                        rows), BlockHeaders.of("job", String.valueOf(seq), size, TensorRow.SCHEMA)));
            }
            producer.flush();
        }
        int total = next;

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StageSettings settings = new StageSettings("inference", List.of(in), "it-" + suffix, 2, Duration.ofMillis(200),
                Duration.ZERO, dlq, 8 << 20, kafka);
        List<ConsumerRecord<byte[], byte[]>> received;
        try (BlockCodec codec = new BlockCodec();
                ImageClassifier model = ImageClassifier.load(Samples.MODEL_DIR, "cpu");
                BatchingClassifier batcher = BatchingClassifier.start(model, 8, Duration.ofMillis(50), 1,
                        new InferenceMetrics(registry, 1))) {
            try (StageRunner runner = new StageRunner(settings, () -> new InferenceHandler("inference", codec, out,
                    model.descriptor(), batcher.newSource()), new StageMetrics(registry, "inference"), codec)) {
                runner.start();
                received = readBlocks(kafka, out, rowsPerBlock.size(), Duration.ofSeconds(60));
                assertTrue(runner.isHealthy(), String.valueOf(runner.failures()));
            }
            List<String> ids = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : received) {
                String seq = BlockHeaders.get(record.headers(), BlockHeaders.BLOCK_SEQ);
                List<PredictionRow> rows = codec.decode(PredictionRow.SCHEMA, record.value());
                assertEquals(rowsPerBlock.get(seq), rows.size(), "block " + seq + " keeps its rows");
                for (PredictionRow row : rows) {
                    ids.add(row.rowId());
                    Classification expected =
                            model.classify(List.of(images.get(imageOf.get(row.rowId())))).get(0);
                    assertEquals(expected.labels().get(0), row.labels().get(0), row.rowId());
                    assertEquals(expected.scores()[0], row.scores()[0], 1e-4, row.rowId());
                }
            }
            assertEquals(total, ids.size());
            assertEquals(total, ids.stream().distinct().count(), "every row once");
        }
        assertEquals(total, registry.get("kbi.inference.model.rows").counter().count());
    }

    private static List<ConsumerRecord<byte[], byte[]>> readBlocks(Map<String, String> kafka, String topic, int count,
            Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(kafka, "reader-" + UUID.randomUUID(),
                "it-reader")) {
            consumer.subscribe(List.of(topic));
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertEquals(count, records.size(), "output blocks");
        return records;
    }
}
