package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.rows.TensorRow;
import dev.kbi.common.runtime.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Bad records produced straight to the pipeline's internal topics, as a buggy or foreign producer
 * would, under a job of their own (so the main job's counts stay exact). Every record that the
 * broker takes is one row of that job: the stage that reads it dead-letters it, except the block
 * whose two rows share a row id, which is processed as sent (the pipeline does not deduplicate).
 */
final class InternalTopicRecords {

    /** Rows the job announces: wrong-schema block, two non-Arrow records (1 each), the 2 duplicate rows. */
    static final int TOTAL_ROWS = 5;
    static final String DUPLICATE_ROW_ID = "dup-row";

    private InternalTopicRecords() {
    }

    /** Sends every record and the job's announcement; asserts the oversized record is refused by the broker. */
    static void produce(String bootstrap, String jobId, Path samples) throws Exception {
        // The client's own size limit is raised above the topics' so the broker, not the client, judges.
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(
                Map.of("bootstrap.servers", bootstrap), "bad-input-it", 4 * LocalPipeline.MAX_MESSAGE_BYTES);
                BlockCodec codec = new BlockCodec()) {
            TensorRow tensor = new TensorRow("wrong-1", "wrong-schema", 0, 0, 1, 1, 1, new byte[] {0});
            send(producer, "kbi.images", jobId, "wrong-schema", 1, codec.encode(TensorRow.SCHEMA, List.of(tensor)));
            send(producer, "kbi.tensors", jobId, "not-arrow-tensors", 1, notArrow("not an Arrow IPC stream"));
            send(producer, "kbi.predictions", jobId, "not-arrow-predictions", 1, notArrow("{\"json\": 1}"));
            List<ImageRow> duplicates = List.of(
                    new ImageRow(DUPLICATE_ROW_ID, "dup-a", 0, Files.readAllBytes(samples.resolve("test-00002.png"))),
                    new ImageRow(DUPLICATE_ROW_ID, "dup-b", 0, Files.readAllBytes(samples.resolve("test-00003.png"))));
            send(producer, "kbi.images", jobId, "duplicates", 2, codec.encode(ImageRow.SCHEMA, duplicates));
            assertRefusedAsTooLarge(producer, jobId);
            byte[] announcement = JobJson.write(new JobAnnouncement(jobId, "internal topics", TOTAL_ROWS,
                    System.currentTimeMillis()));
            producer.send(new ProducerRecord<>(dev.kbi.common.pipeline.Pipeline.defaults().topics().jobs(), jobId.getBytes(StandardCharsets.UTF_8),
                    announcement)).get();
        }
    }

    /** A record over the topic's max.message.bytes never enters the pipeline: the producer is told. */
    private static void assertRefusedAsTooLarge(KafkaProducer<byte[], byte[]> producer, String jobId) {
        byte[] noise = new byte[LocalPipeline.MAX_MESSAGE_BYTES + (1 << 20)];
        new Random(11).nextBytes(noise); // incompressible, so lz4 does not bring it under the limit
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> send(producer, "kbi.images", jobId, "too-large", 1, noise));
        assertInstanceOf(RecordTooLargeException.class, e.getCause(), e.toString());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String jobId, String seq,
            int rows, byte[] value) throws Exception {
        Headers headers = new RecordHeaders();
        headers.add(BlockHeaders.JOB_ID, jobId.getBytes(StandardCharsets.UTF_8));
        headers.add(BlockHeaders.BLOCK_SEQ, seq.getBytes(StandardCharsets.UTF_8));
        headers.add(BlockHeaders.ROW_COUNT, Integer.toString(rows).getBytes(StandardCharsets.UTF_8));
        byte[] key = (jobId + "/" + seq).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get();
    }

    /**
     * Bytes that are not an Arrow stream, behind an Arrow continuation marker and a small declared
     * length. Plain text is NOT sent as is: its first four bytes read as a message length of about
     * 1.8 GB, which BlockCodec.decode (common/) allocates before noticing the stream is short, and
     * the OutOfMemoryError stops the stage's worker (seen with the writer at -Xmx512m). Until that
     * is fixed in BlockCodec, this test covers the path that dead-letters unreadable blocks.
     */
    private static byte[] notArrow(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(8 + body.length).putInt(-1)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(body.length).put(body).array();
    }
}
