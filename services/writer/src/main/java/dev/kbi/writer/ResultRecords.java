package dev.kbi.writer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.rows.PredictionRow;
import dev.kbi.writer.parquet.PredictionFormat;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The results topic's records: one JSON object per written prediction, key = the input record's
 * key for rows that came in on {@code kbi.input} with one, else the row id; headers
 * {@code kbi-job-id} and {@code content-type: application/json}. The same fields as the Parquet
 * output, plus the job and where the prediction came from:
 * <pre>{"id", "key", "job", "source", "model", "labels", "scores", "top1_label", "top1_score", "embedding",
 *  "read_at_ms", "preprocessed_at_ms", "inferred_at_ms", "written_at_ms",
 *  "input": {"topic", "partition", "offset"}}</pre>
 * {@code labels}/{@code scores} are empty and {@code top1_*} null for an embedding model, whose
 * {@code embedding} is set (null otherwise).
 */
final class ResultRecords {

    static final String CONTENT_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;

    ResultRecords(String topic) {
        this.topic = topic;
    }

    /** The result of {@code row} of job {@code jobId}, read from {@code input}. */
    ProducerRecord<byte[], byte[]> of(String jobId, PredictionRow row, ConsumerRecord<byte[], byte[]> input,
            long writtenAtMillis) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(BlockHeaders.JOB_ID, jobId.getBytes(StandardCharsets.UTF_8));
        headers.add(BlockHeaders.CONTENT_TYPE, CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        String key = row.key() != null ? row.key() : row.rowId();
        return new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8),
                json(jobId, row, input, writtenAtMillis), headers);
    }

    static byte[] json(String jobId, PredictionRow row, ConsumerRecord<byte[], byte[]> input, long writtenAtMillis) {
        ObjectNode result = JSON.createObjectNode();
        result.put("id", row.rowId());
        result.put("key", row.key());
        result.put("job", jobId);
        result.put("source", row.source());
        result.put("model", row.model());
        ArrayNode labels = result.putArray("labels");
        row.labels().forEach(labels::add);
        ArrayNode scores = result.putArray("scores");
        for (float score : row.scores()) {
            scores.add(score);
        }
        int top = PredictionFormat.argMax(row.scores());
        result.put("top1_label", top < 0 ? null : row.labels().get(top));
        if (top < 0) {
            result.putNull("top1_score");
        } else {
            result.put("top1_score", row.scores()[top]);
        }
        if (row.embedding() == null) {
            result.putNull("embedding");
        } else {
            ArrayNode embedding = result.putArray("embedding");
            for (float value : row.embedding()) {
                embedding.add(value);
            }
        }
        result.put("read_at_ms", row.readAtMillis());
        result.put("preprocessed_at_ms", row.preprocessedAtMillis());
        result.put("inferred_at_ms", row.inferredAtMillis());
        result.put("written_at_ms", writtenAtMillis);
        ObjectNode source = result.putObject("input");
        source.put("topic", input.topic());
        source.put("partition", input.partition());
        source.put("offset", input.offset());
        try {
            return JSON.writeValueAsBytes(result);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Could not write the result of " + row.rowId(), e);
        }
    }
}
