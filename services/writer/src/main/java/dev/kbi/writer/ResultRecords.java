package dev.kbi.writer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.PredictionRow;
import dev.kbi.writer.parquet.PredictionFormat;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The results topic's records: one JSON object per written row, its prediction or its dead letter,
 * so that every input gets one answer. Key = the input record's key for rows that came in on
 * {@code kbi.input} with one, else the row id; headers {@code kbi-job-id},
 * {@code kbi-result} ({@value #PREDICTION} or {@value #ERROR}) and {@code content-type: application/json}.
 * A prediction has the same fields as the Parquet output, plus the job and where it came from:
 * <pre>{"id", "key", "job", "source", "model", "labels", "scores", "top1_label", "top1_score", "embedding",
 *  "read_at_ms", "preprocessed_at_ms", "inferred_at_ms", "written_at_ms",
 *  "input": {"topic", "partition", "offset"}}</pre>
 * {@code labels}/{@code scores} are empty and {@code top1_*} null for an embedding model, whose
 * {@code embedding} is set (null otherwise). An error:
 * <pre>{"id", "key", "job", "source", "error": {"stage", "class", "message", "failed_at_ms"}, "written_at_ms",
 *  "input": {"topic", "partition", "offset"}}</pre>
 */
final class ResultRecords {

    static final String CONTENT_TYPE = "application/json";
    /** Header saying which kind of result a record is, so consumers can filter without parsing. */
    static final String RESULT_HEADER = "kbi-result";
    static final String PREDICTION = "prediction";
    static final String ERROR = "error";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;

    ResultRecords(String topic) {
        this.topic = topic;
    }

    /** The result of {@code row} of job {@code jobId}, read from {@code input}. */
    ProducerRecord<byte[], byte[]> of(String jobId, PredictionRow row, ConsumerRecord<byte[], byte[]> input,
            long writtenAtMillis) {
        return record(jobId, row.key() != null ? row.key() : row.rowId(), PREDICTION,
                json(jobId, row, input, writtenAtMillis));
    }

    /** The error result of dead letter {@code row} of job {@code jobId}, read from {@code input}. */
    ProducerRecord<byte[], byte[]> of(String jobId, DeadLetterRow row, ConsumerRecord<byte[], byte[]> input,
            long writtenAtMillis) {
        ObjectNode result = common(jobId, row.rowId(), row.key(), row.source());
        ObjectNode error = result.putObject("error");
        error.put("stage", row.stage());
        error.put("class", row.errorClass());
        error.put("message", row.message());
        error.put("failed_at_ms", row.failedAtMillis());
        finish(result, input, writtenAtMillis);
        return record(jobId, row.key() != null ? row.key() : row.rowId(), ERROR, bytes(result, row.rowId()));
    }

    private ProducerRecord<byte[], byte[]> record(String jobId, String key, String kind, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(BlockHeaders.JOB_ID, jobId.getBytes(StandardCharsets.UTF_8));
        headers.add(RESULT_HEADER, kind.getBytes(StandardCharsets.UTF_8));
        headers.add(BlockHeaders.CONTENT_TYPE, CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), value, headers);
    }

    static byte[] json(String jobId, PredictionRow row, ConsumerRecord<byte[], byte[]> input, long writtenAtMillis) {
        ObjectNode result = common(jobId, row.rowId(), row.key(), row.source());
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
        finish(result, input, writtenAtMillis);
        return bytes(result, row.rowId());
    }

    private static ObjectNode common(String jobId, String rowId, String key, String source) {
        ObjectNode result = JSON.createObjectNode();
        result.put("id", rowId);
        result.put("key", key);
        result.put("job", jobId);
        result.put("source", source);
        return result;
    }

    private static void finish(ObjectNode result, ConsumerRecord<byte[], byte[]> input, long writtenAtMillis) {
        result.put("written_at_ms", writtenAtMillis);
        ObjectNode source = result.putObject("input");
        source.put("topic", input.topic());
        source.put("partition", input.partition());
        source.put("offset", input.offset());
    }

    private static byte[] bytes(ObjectNode result, String rowId) {
        try {
            return JSON.writeValueAsBytes(result);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Could not write the result of " + rowId, e);
        }
    }
}
