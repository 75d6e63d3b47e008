package dev.kbi.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockSplitter;
import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.runtime.BlockEmitter;
import dev.kbi.common.runtime.KafkaClients;
import dev.kbi.common.runtime.StageMetrics;
import dev.kbi.localkafka.KafkaBroker;
import dev.kbi.localkafka.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader that dies in the middle of a job (its last block sent but not committed) and is started
 * again on the same job against a real broker: it resumes after the committed blocks, and every
 * file's row is on the images topic once. The job-events topic has two partitions and the job's
 * key hashes to partition 1, so a progress reader that looked in the wrong partition would resume
 * at file 0.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReaderResumeIT {

    private static final int FILES = 20;
    private static final int BLOCK_ROWS = 3;

    @Test
    void aRestartedReaderResumesAfterItsCommittedBlocksAndSendsNoRowTwice(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String images = "images-" + run;
        String events = "events-" + run;
        Map<String, String> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(Map.<String, Object>copyOf(kafka))) {
            admin.createTopics(List.of(new NewTopic(images, 2, (short) 1), new NewTopic(events, 2, (short) 1),
                    new NewTopic("jobs-" + run, 1, (short) 1), new NewTopic("dlq-" + run, 1, (short) 1))).all().get();
        }
        List<InputListing.Entry> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            files.add(new InputListing.Entry(Files.write(dir.resolve(String.format("f%02d.png", i)),
                    new byte[] {(byte) i}), null));
        }

        // First run: the third block is sent, then the process "dies" before committing it.
        assertThrows(SimulatedCrash.class, () -> read(kafka, run, dir, files, 0, 3));
        int resumeAt = ReaderProgress.committedFiles(kafka, events, "job");
        assertEquals(2 * BLOCK_ROWS, resumeAt, "two blocks were committed");

        JobAnnouncement announcement = read(kafka, run, dir, files, resumeAt, Integer.MAX_VALUE);

        assertEquals(FILES, announcement.totalRows());
        List<String> rowIds = rowIds(kafka, images);
        assertEquals(FILES, rowIds.size(), "every file once: " + rowIds);
        assertEquals(FILES, rowIds.stream().distinct().count());
        assertEquals(FILES, ReaderProgress.committedFiles(kafka, events, "job"), "the events count each file once");
    }

    /** Reads the job from {@code first}, as a reader process would; the {@code crashAt}-th commit never happens. */
    private static JobAnnouncement read(Map<String, String> kafka, String run, Path dir,
            List<InputListing.Entry> files, int first, int crashAt) {
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka, "reader", 1 << 20, "reader-" + run);
        producer.initTransactions(); // fences the crashed run's producer and aborts its open transaction
        try (BlockCodec codec = new BlockCodec()) {
            BlockEmitter emitter = new BlockEmitter(producer, new BlockSplitter(codec, 1 << 20), "dlq-" + run,
                    ImageJobReader.STAGE, StageMetrics.inMemory("reader"), "events-" + run);
            ImageJobReader.BlockCommit transactional = ImageJobReader.BlockCommit.transactional(producer);
            int[] commits = {0};
            ImageJobReader.BlockCommit crashing = new ImageJobReader.BlockCommit() {
                @Override
                public void begin() {
                    transactional.begin();
                }

                @Override
                public void commit() {
                    if (++commits[0] == crashAt) {
                        producer.flush(); // the block reached the broker, uncommitted
                        throw new SimulatedCrash();
                    }
                    transactional.commit();
                }
            };
            return new ImageJobReader(emitter, "images-" + run, "jobs-" + run, BLOCK_ROWS, 1 << 20,
                    new InputFiles(AllowedRoots.forInput(dir), 1 << 20)).committingWith(crashing)
                    .read("job", dir.toString(), files, first, JobAnnouncement.ErrorLimit.UNLIMITED);
        } finally {
            if (crashAt == Integer.MAX_VALUE) {
                producer.close();
            } // a crashed process never closes its producer: the restart's initTransactions fences it
        }
    }

    private static List<String> rowIds(Map<String, String> kafka, String topic) {
        List<String> ids = new ArrayList<>();
        try (BlockCodec codec = new BlockCodec();
                KafkaConsumer<byte[], byte[]> consumer = KafkaClients.unassignedConsumer(kafka, "probe")) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    codec.decode(ImageRow.SCHEMA, record.value()).forEach(r -> ids.add(r.rowId()));
                }
            }
        }
        return ids;
    }

    private static final class SimulatedCrash extends RuntimeException {
    }
}
