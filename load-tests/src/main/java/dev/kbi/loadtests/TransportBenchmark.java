package dev.kbi.loadtests;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.rows.TensorRow;
import dev.kbi.common.runtime.KafkaClients;
import dev.kbi.localkafka.LocalKafkaBroker;
import dev.kbi.localkafka.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Transport: megabytes per second of Arrow tensor blocks produced to one topic (encoding included),
 * against Kafka's own {@code ProducerPerformance} with records of the same size on the same broker
 * and the same producer settings. Run per block size, to find the one that moves most.
 */
final class TransportBenchmark {

    private static final Pattern PERF_LINE = Pattern.compile("records/sec \\(([0-9.]+) MB/sec\\)");
    static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private TransportBenchmark() {
    }

    /** One measurement: block size in bytes, our MB/s, Kafka's MB/s at the same record size. */
    record Point(int blockBytes, int rowsPerBlock, double pipelineMBps, double kafkaMBps) {
    }

    /** Producer compression measured on 1 MiB tensor blocks: MB/s and bytes on the broker's disk. */
    record Compression(String codec, double mbPerSecond, long bytesSent, long bytesOnDisk) {

        double ratio() {
            return bytesOnDisk > 0 ? (double) bytesSent / bytesOnDisk : Double.NaN;
        }
    }

    /** Block-size sweep and producer-compression comparison on one fresh broker. */
    record Results(List<Point> points, List<Compression> compression) {
    }

    static Results run(Path workDir, List<Integer> blockSizes, int megabytes) throws Exception {
        List<Point> points = new ArrayList<>();
        List<Compression> compression = new ArrayList<>();
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.of(workDir.resolve("kafka-" + System.currentTimeMillis()))
                .withMessageMaxBytes(MAX_MESSAGE_BYTES).withLogFile(workDir.resolve("kafka.log")));
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
                BlockCodec codec = new BlockCodec()) {
            for (int blockBytes : blockSizes) {
                String ours = "transport-blocks-" + blockBytes;
                String theirs = "transport-perf-" + blockBytes;
                Topics.ensureTopics(admin, List.of(new NewTopic(ours, 1, (short) 1), new NewTopic(theirs, 1, (short) 1)));
                int rowsPerBlock = Math.max(1, blockBytes / (28 * 28 + 64));
                byte[] block = codec.encode(TensorRow.SCHEMA, tensorRows(rowsPerBlock));
                double pipeline = produceBlocks(broker.bootstrapServers(), ours, codec, rowsPerBlock, megabytes);
                double kafka = producerPerformance(broker.bootstrapServers(), theirs, block.length,
                        Math.max(10, (int) ((long) megabytes * 1024 * 1024 / block.length)));
                points.add(new Point(block.length, rowsPerBlock, pipeline, kafka));
            }
            for (String codecName : List.of("none", "lz4", "zstd")) {
                String topic = "compression-" + codecName;
                Topics.ensureTopics(admin, List.of(new NewTopic(topic, 1, (short) 1)));
                int rowsPerBlock = (1 << 20) / (28 * 28 + 64);
                long sent = (long) Math.min(megabytes, 100) << 20;
                double mbps = produceBlocks(broker.bootstrapServers(), topic, codec, rowsPerBlock, (int) (sent >> 20),
                        codecName);
                compression.add(new Compression(codecName, mbps, sent, directorySize(
                        broker.dataDir(), topic + "-0")));
            }
        }
        return new Results(points, compression);
    }

    /** Bytes of the partition folder named {@code name} anywhere under {@code dataDir}. */
    private static long directorySize(Path dataDir, String name) throws java.io.IOException {
        try (var paths = java.nio.file.Files.walk(dataDir)) {
            return paths.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals(name))
                    .filter(p -> p.getFileName().toString().endsWith(".log"))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static double produceBlocks(String bootstrap, String topic, BlockCodec codec, int rowsPerBlock,
            int megabytes) throws Exception {
        return produceBlocks(bootstrap, topic, codec, rowsPerBlock, megabytes, "lz4");
    }

    private static double produceBlocks(String bootstrap, String topic, BlockCodec codec, int rowsPerBlock,
            int megabytes, String compressionType) throws Exception {
        List<TensorRow> rows = tensorRows(rowsPerBlock);
        long target = (long) megabytes * 1024 * 1024;
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(
                Map.of("bootstrap.servers", bootstrap, "compression.type", compressionType), "transport",
                MAX_MESSAGE_BYTES)) {
            long start = System.nanoTime();
            int seq = 0;
            while (sent < target) {
                byte[] value = codec.encode(TensorRow.SCHEMA, rows); // encoding is part of the cost
                producer.send(new ProducerRecord<>(topic, (Integer) null, (byte[]) null, value,
                        BlockHeaders.of("transport", Integer.toString(seq++), rowsPerBlock, TensorRow.SCHEMA)));
                sent += value.length;
            }
            producer.flush();
            return sent / 1048576.0 / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Runs Kafka's ProducerPerformance with the producer settings the stages use. */
    private static double producerPerformance(String bootstrap, String topic, int recordSize, int records)
            throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", Integer.toString(records), "--record-size",
                Integer.toString(recordSize), "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + bootstrap, "acks=all", "compression.type=lz4", "linger.ms=5",
                "max.request.size=" + MAX_MESSAGE_BYTES, "buffer.memory=" + Math.max(32 << 20, 4 * MAX_MESSAGE_BYTES));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (PERF_LINE.matcher(line).find()) {
                    last = line;
                }
            }
        }
        if (process.waitFor() != 0 || last == null) {
            throw new IllegalStateException("ProducerPerformance failed (exit " + process.exitValue() + ")");
        }
        Matcher m = PERF_LINE.matcher(last);
        m.find();
        return Double.parseDouble(m.group(1));
    }

    /** Rows of real-looking 28x28 tensors (smooth gradients plus noise: compressible like images are). */
    private static List<TensorRow> tensorRows(int count) {
        Random random = new Random(7);
        List<TensorRow> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] pixels = new byte[28 * 28];
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = (byte) ((p % 28) * 9 + random.nextInt(8));
            }
            rows.add(new TensorRow("transport-" + i, "synthetic", 0, 0, 1, 28, 28, pixels));
        }
        return rows;
    }
}
