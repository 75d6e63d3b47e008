package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.pipeline.Pipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.parquet.example.data.Group;

/**
 * The results topic as another system reads it: a plain consumer with
 * {@code isolation.level=read_committed}, from the beginning to the end, no project code involved.
 */
final class ResultsTopic {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ResultsTopic() {
    }

    /**
     * Every committed prediction of {@code jobId}, by record key (the input's key, else the row id);
     * fails on a key seen twice.
     */
    static Map<String, JsonNode> of(String bootstrap, String jobId) throws IOException {
        return of(bootstrap, jobId, "prediction");
    }

    /** Every committed result of {@code jobId} of kind {@code kind} ({@code prediction}, {@code error}), by key. */
    static Map<String, JsonNode> of(String bootstrap, String jobId, String kind) throws IOException {
        String topic = Pipeline.defaults().topics().results();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, JsonNode> results = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions)); // the last stable offsets
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Results topic not read to its end within " + TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!jobId.equals(BlockHeaders.get(record.headers(), BlockHeaders.JOB_ID))
                            || !kind.equals(BlockHeaders.get(record.headers(), "kbi-result"))) {
                        continue;
                    }
                    JsonNode result = JSON.readTree(record.value());
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    JsonNode inputKey = result.path("key");
                    assertEquals(inputKey.isTextual() ? inputKey.asText() : result.path("id").asText(), key,
                            "record key = the input record's key, else the row id");
                    assertEquals(jobId, result.path("job").asText());
                    assertEquals("application/json", BlockHeaders.get(record.headers(), BlockHeaders.CONTENT_TYPE));
                    assertNull(results.put(key, result), "result of " + key + " twice");
                }
            }
        }
        return results;
    }

    /** The job's results are its written predictions: the same rows, each with the same top-1 label and score. */
    static void assertSameAsPredictions(Map<String, JsonNode> results, List<Group> predictions, String what) {
        Map<String, String> fromFiles = new TreeMap<>();
        Map<String, String> fromTopic = new TreeMap<>();
        for (Group row : predictions) {
            fromFiles.put(row.getString("row_id", 0), row.getString("top1_label", 0) + " " + row.getFloat("top1_score", 0));
        }
        results.forEach((id, result) -> fromTopic.put(id, result.path("top1_label").asText() + " "
                + (float) result.path("top1_score").asDouble()));
        assertEquals(fromFiles, fromTopic, what + ": results topic vs Parquet");
    }
}
