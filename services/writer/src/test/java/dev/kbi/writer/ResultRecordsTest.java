package dev.kbi.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.PredictionRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ResultRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResultRecords RESULTS = new ResultRecords("kbi.results");
    private static final ConsumerRecord<byte[], byte[]> INPUT = new ConsumerRecord<>("kbi.predictions", 3, 42L, null,
            null);

    @Test
    void aPredictionIsKeyedByItsInputKeyElseItsRowId() throws Exception {
        PredictionRow keyed = new PredictionRow("row-1", "kbi.input-0@5", 1, 2, 3, List.of("cat", "dog"),
                new float[] {0.2f, 0.7f}, "m:1", null, "caller-key");
        ProducerRecord<byte[], byte[]> record = RESULTS.of("job-a", keyed, INPUT, 4);
        assertEquals("caller-key", new String(record.key(), StandardCharsets.UTF_8));
        assertEquals("prediction", BlockHeaders.get(record.headers(), ResultRecords.RESULT_HEADER));
        JsonNode json = JSON.readTree(record.value());
        assertEquals("row-1", json.path("id").asText());
        assertEquals("caller-key", json.path("key").asText());
        assertEquals("dog", json.path("top1_label").asText());
        assertEquals(42, json.path("input").path("offset").asLong());

        PredictionRow file = new PredictionRow("job-a-00000001", "a.png", 1, 2, 3, List.of("cat"), new float[] {1f},
                "m:1");
        ProducerRecord<byte[], byte[]> fromFile = RESULTS.of("job-a", file, INPUT, 4);
        assertEquals("job-a-00000001", new String(fromFile.key(), StandardCharsets.UTF_8));
        assertTrue(JSON.readTree(fromFile.value()).path("key").isNull());
    }

    @Test
    void aDeadLetterIsAnErrorResultUnderTheSameKey() throws Exception {
        DeadLetterRow letter = new DeadLetterRow("row-2", "kbi.input-0@6", "preprocessor",
                "dev.kbi.preprocessor.image.ImageDecodeException", "Not an image", 9L, new byte[] {1}, "caller-2");
        ProducerRecord<byte[], byte[]> record = RESULTS.of("job-a", letter, INPUT, 10);
        assertEquals("caller-2", new String(record.key(), StandardCharsets.UTF_8));
        assertEquals("error", BlockHeaders.get(record.headers(), ResultRecords.RESULT_HEADER));
        assertEquals("job-a", BlockHeaders.get(record.headers(), BlockHeaders.JOB_ID));
        JsonNode json = JSON.readTree(record.value());
        assertEquals("preprocessor", json.path("error").path("stage").asText());
        assertEquals("dev.kbi.preprocessor.image.ImageDecodeException", json.path("error").path("class").asText());
        assertEquals("Not an image", json.path("error").path("message").asText());
        assertTrue(json.path("top1_label").isMissingNode(), "no prediction fields on an error");
    }
}
