package dev.kbi.loadtests;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import dev.kbi.common.rows.ImageRow;
import dev.kbi.launcher.ExternalInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Another system as the source: a plain Kafka producer sends image blocks (Arrow IPC,
 * {@code kbi.image.v1}, with the block headers) to {@code kbi.images} and announces the job on
 * {@code kbi.jobs}, with no reader service involved.
 */
final class KafkaInputWorkload implements ExternalInput {

    private final Path images;
    private final int rows;
    private final int rowsPerBlock;

    KafkaInputWorkload(Path images, int rows, int rowsPerBlock) {
        this.images = images;
        this.rows = rows;
        this.rowsPerBlock = rowsPerBlock;
    }

    @Override
    public void produce(String bootstrapServers, String jobId) throws Exception {
        List<byte[]> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Stream<Path> list = Files.list(images)) {
            for (Path file : list.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
                files.add(Files.readAllBytes(file));
                names.add(file.toAbsolutePath().toString());
            }
        }
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.LINGER_MS_CONFIG, 5);
        try (BlockCodec codec = new BlockCodec();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            int seq = 0;
            for (int start = 0; start < rows; start += rowsPerBlock) {
                List<ImageRow> block = new ArrayList<>();
                for (int i = start; i < Math.min(rows, start + rowsPerBlock); i++) {
                    block.add(new ImageRow(String.format("%s-%08d", jobId, i), names.get(i % files.size()),
                            System.currentTimeMillis(), files.get(i % files.size())));
                }
                String blockSeq = Integer.toString(seq++);
                producer.send(new ProducerRecord<>(RunSampler.PIPELINE.topics().images(), null, (jobId + "/" + blockSeq).getBytes(
                        StandardCharsets.UTF_8), codec.encode(ImageRow.SCHEMA, block),
                        BlockHeaders.of(jobId, blockSeq, block.size(), ImageRow.SCHEMA)));
            }
            producer.send(new ProducerRecord<>(RunSampler.PIPELINE.topics().jobs(), jobId.getBytes(StandardCharsets.UTF_8),
                    JobJson.write(new JobAnnouncement(jobId, "kafka:kbi.images", rows, System.currentTimeMillis()))));
            producer.flush();
        }
    }
}
