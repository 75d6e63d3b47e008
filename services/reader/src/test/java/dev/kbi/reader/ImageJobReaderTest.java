package dev.kbi.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.block.BlockSplitter;
import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.runtime.BlockEmitter;
import dev.kbi.common.runtime.StageMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the reader sends for a job, captured with Kafka's MockProducer. */
class ImageJobReaderTest {

    private final BlockCodec codec = new BlockCodec();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    private ImageJobReader reader(Path root, int blockRows, long maxFileBytes) {
        BlockEmitter emitter = new BlockEmitter(producer, new BlockSplitter(codec, 1 << 20), "dlq", "reader",
                StageMetrics.inMemory("reader"));
        return new ImageJobReader(emitter, "images", "jobs", blockRows, 1 << 20,
                new InputFiles(AllowedRoots.forInput(root), maxFileBytes));
    }

    @Test
    void emitsBlocksDeadLettersUnreadableFilesAndAnnouncesTheTotal(@TempDir Path dir) throws IOException {
        List<InputListing.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            entries.add(new InputListing.Entry(Files.write(dir.resolve("img" + i + ".png"), new byte[] {(byte) i}),
                    null));
        }
        entries.add(3, new InputListing.Entry(dir.resolve("missing.png"), null));
        entries.add(new InputListing.Entry(Files.write(dir.resolve("big.png"), new byte[100]), null));
        entries.add(new InputListing.Entry(null, "job.jsonl:9: malformed JSON line"));

        JobAnnouncement job = reader(dir, 3, 50).read("job1", dir.toString(), entries);

        assertEquals(10, job.totalRows());
        List<ImageRow> images = new ArrayList<>();
        List<DeadLetterRow> dead = new ArrayList<>();
        JobAnnouncement announced = null;
        for (ProducerRecord<byte[], byte[]> record : producer.history()) {
            switch (record.topic()) {
                case "images" -> {
                    List<ImageRow> rows = codec.decode(ImageRow.SCHEMA, record.value());
                    assertTrue(rows.size() <= 3, "block-rows respected");
                    assertEquals("job1", BlockHeaders.get(record.headers(), BlockHeaders.JOB_ID));
                    assertEquals(rows.size(), BlockHeaders.rowCount(record.headers()));
                    images.addAll(rows);
                }
                case "dlq" -> dead.addAll(codec.decode(DeadLetterRow.SCHEMA, record.value()));
                case "jobs" -> announced = JobJson.read(record.value(), JobAnnouncement.class);
                default -> throw new AssertionError(record.topic());
            }
        }
        assertEquals(7, images.size());
        assertEquals("job1-00000000", images.get(0).rowId());
        assertEquals("job1-00000004", images.get(3).rowId(), "row ids follow the listing, gaps where rows failed");
        assertEquals(3, dead.size());
        assertEquals(List.of("job1-00000003", "job1-00000008", "job1-00000009"),
                dead.stream().map(DeadLetterRow::rowId).toList());
        assertTrue(dead.get(0).errorClass().contains("NoSuchFile"), dead.get(0).errorClass());
        assertTrue(dead.get(1).message().contains("reader.max-file-bytes"), dead.get(1).message());
        assertEquals(List.of("java.nio.file.NoSuchFileException", "dev.kbi.reader.FileTooLarge",
                "dev.kbi.reader.MalformedManifestLine"), dead.stream().map(DeadLetterRow::errorClass).toList());
        assertEquals(job, announced);
        assertEquals(images.size() + dead.size(), announced.totalRows(), "inputs = emitted + dead letters");
    }

    @Test
    void aCancelledJobStopsAtTheNextBlockAndAnnouncesTheRowsSentBefore(@TempDir Path dir) throws IOException {
        List<InputListing.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            entries.add(new InputListing.Entry(Files.write(dir.resolve("img" + i + ".png"), new byte[] {(byte) i}),
                    null));
        }
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        // Cancelled once the first block (3 rows) is sent: asked before each of its 3 files, then before sending it.
        JobAnnouncement job = reader(dir, 3, 50).cancelledWhen(() -> asked.incrementAndGet() > 5)
                .read("job2", dir.toString(), entries);

        assertTrue(job.cancelled());
        assertEquals(3, job.totalRows(), "the rows of the blocks sent before the cancel");
        long images = producer.history().stream().filter(r -> r.topic().equals("images"))
                .mapToLong(r -> codec.decode(ImageRow.SCHEMA, r.value()).size()).sum();
        assertEquals(3, images);
        JobAnnouncement announced = producer.history().stream().filter(r -> r.topic().equals("jobs"))
                .map(r -> JobJson.read(r.value(), JobAnnouncement.class)).findFirst().orElseThrow();
        assertEquals(job, announced);
    }
}
