package dev.kbi.inference.bench;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.rows.TensorRow;
import dev.kbi.common.runtime.KafkaClients;
import dev.kbi.common.runtime.StageMetrics;
import dev.kbi.common.runtime.StageRunner;
import dev.kbi.common.runtime.StageSettings;
import dev.kbi.inference.InferenceBench;
import dev.kbi.inference.batch.BatchingClassifier;
import dev.kbi.inference.batch.ModelListener;
import dev.kbi.inference.model.ImageClassifier;
import dev.kbi.inference.model.Samples;
import dev.kbi.localkafka.KafkaBroker;
import dev.kbi.localkafka.KafkaBrokerExtension;
import dev.kbi.localkafka.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Throughput of the inference stage through a real (in-process) broker, and the model's busy share,
 * per {@code concurrency:batch} pair. Not a test: runs only with {@code -Dkbi.bench=true}, e.g.
 * {@code ./mvnw -f services/inference/pom.xml verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=StageBenchIT -Dkbi.bench=true -Dconfigs=1:32,2:32 [-DperBlock=true] [-Dblocks=100 -DblockRows=256]}.
 */
@EnabledIfSystemProperty(named = "kbi.bench", matches = "true")
@ExtendWith(KafkaBrokerExtension.class)
class StageBenchIT {

    @Test
    void stage(KafkaBroker broker) throws Exception {
        Map<String, String> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        int blocks = Integer.getInteger("blocks", 100);
        int blockRows = Integer.getInteger("blockRows", 256);
        String in = "bench-in-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
                BlockCodec codec = new BlockCodec();
                KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka, "bench", 8 << 20)) {
            Topics.ensureTopics(admin, List.of(new NewTopic(in, 4, (short) 1)));
            List<byte[]> images = Samples.images();
            int n = 0;
            for (int seq = 0; seq < blocks; seq++) {
                List<TensorRow> rows = new ArrayList<>();
                for (int i = 0; i < blockRows; i++, n++) {
                    rows.add(new TensorRow("r" + n, "s", 1, 2, 1, 28, 28, images.get(n % images.size())));
                }
                producer.send(new ProducerRecord<>(in, null, ("j/" + seq).getBytes(), codec.encode(TensorRow.SCHEMA,
                        rows), BlockHeaders.of("j", "" + seq, blockRows, TensorRow.SCHEMA)));
            }
            producer.flush();
            String[] configs = System.getProperty("configs", "1:32,2:32").split(",");
            try (ImageClassifier model = ImageClassifier.load(Samples.MODEL_DIR, "cpu")) {
                for (String config : configs) {
                    int concurrency = Integer.parseInt(config.split(":")[0]);
                    int batch = Integer.parseInt(config.split(":")[1]);
                    String out = "bench-out-" + UUID.randomUUID();
                    Topics.ensureTopics(admin, List.of(new NewTopic(out, 4, (short) 1)));
                    run(kafka, in, out, model, concurrency, batch, blocks * blockRows, codec);
                }
            }
        }
    }

    private void run(Map<String, String> kafka, String in, String out, ImageClassifier model, int concurrency,
            int batch, int total, BlockCodec codec) throws Exception {
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        AtomicLong busy = new AtomicLong();
        AtomicLong started = new AtomicLong();
        AtomicLong rows = new AtomicLong();
        ModelListener listener = new ModelListener() {
            @Override
            public void batchStarted(int thread) {
                long now = System.nanoTime();
                first.compareAndSet(0, now);
                started.set(now);
            }

            @Override
            public void batchEnded(int thread, int n) {
                long now = System.nanoTime();
                busy.addAndGet(now - started.get());
                last.set(now);
                rows.addAndGet(n);
            }
        };
        StageSettings settings = new StageSettings("inference", List.of(in), "bench-" + UUID.randomUUID(),
                concurrency, Duration.ofMillis(200), Duration.ZERO, "dlq", 8 << 20, kafka);
        try (BatchingClassifier batcher = BatchingClassifier.start(model, batch, Duration.ofMillis(50), 1, listener);
                StageRunner runner = new StageRunner(settings, () -> InferenceBench.handler(codec, out, model,
                        batcher.newSource()), new StageMetrics(new SimpleMeterRegistry(), "inference"), codec)) {
            runner.start();
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(kafka, "r-" + UUID.randomUUID(), "r")) {
                consumer.subscribe(List.of(out));
                long got = 0;
                while (got < total) {
                    for (var r : consumer.poll(Duration.ofMillis(200))) {
                        got += BlockHeaders.rowCount(r.headers());
                    }
                }
            }
        }
        double seconds = (last.get() - first.get()) / 1e9;
        System.out.printf("BENCH stage concurrency %d batch %d: %d rows in %.2f s = %.0f img/s, model busy %.0f%%%n",
                concurrency, batch, rows.get(), seconds, rows.get() / seconds, 100 * busy.get() / 1e9 / seconds);
    }
}
