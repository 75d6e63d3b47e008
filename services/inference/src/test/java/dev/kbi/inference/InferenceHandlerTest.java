package dev.kbi.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.block.BlockSplitter;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.PredictionRow;
import dev.kbi.common.rows.TensorRow;
import dev.kbi.common.runtime.BlockEmitter;
import dev.kbi.common.runtime.StageMetrics;
import dev.kbi.inference.batch.BatchingClassifier;
import dev.kbi.inference.batch.ModelListener;
import dev.kbi.inference.batch.RowModelException;
import dev.kbi.inference.model.BatchModel;
import dev.kbi.inference.model.Classification;
import dev.kbi.inference.model.ImageClassifier;
import dev.kbi.inference.model.ImageEmbedder;
import dev.kbi.inference.model.ModelDescriptor;
import dev.kbi.inference.model.Samples;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The handler with the real model, codec and emitter; Kafka is a {@link MockProducer}. */
class InferenceHandlerTest {

    private static final String OUT = "kbi.predictions";
    private static final String DLQ = "kbi.dead-letters";

    @Test
    void oddBlocksComeBackAsTheirOwnBlocksWithEveryRowOnceAndBadInputDeadLettered() throws Exception {
        List<byte[]> images = Samples.images();
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        try (BlockCodec codec = new BlockCodec();
                ImageClassifier model = ImageClassifier.load(Samples.MODEL_DIR, "cpu");
                BatchingClassifier batcher = BatchingClassifier.start(model, 8, Duration.ofMillis(50), 1,
                        ModelListener.NONE);
                InferenceHandler handler = new InferenceHandler("inference", codec, OUT, model.descriptor(),
                        batcher.newSource())) {
            BlockEmitter emitter = new BlockEmitter(producer, new BlockSplitter(codec, 8 << 20), DLQ, "inference",
                    StageMetrics.inMemory("inference"));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            Map<String, byte[]> pixelsById = new HashMap<>();
            int next = 0;
            int[] sizes = {5, 13, 1};
            for (int b = 0; b < sizes.length; b++) {
                List<TensorRow> rows = new ArrayList<>();
                for (int i = 0; i < sizes[b]; i++, next++) {
                    rows.add(new TensorRow("job-" + next, "s" + next, 1, 2, 1, 28, 28, images.get(next)));
                    pixelsById.put("job-" + next, images.get(next));
                }
                if (b == 1) {
                    rows.add(3, new TensorRow("job-bad", "s-bad", 1, 2, 3, 28, 28, new byte[3 * 28 * 28]));
                }
                records.add(record(b, "job", String.valueOf(b), codec.encode(TensorRow.SCHEMA, rows)));
            }
            records.add(record(3, "job", "3", "not arrow".getBytes(StandardCharsets.UTF_8)));
            handler.handleAll(records, emitter);
            emitter.flush();

            List<ProducerRecord<byte[], byte[]>> predictions =
                    producer.history().stream().filter(r -> r.topic().equals(OUT)).toList();
            assertEquals(List.of("0", "1", "2"), predictions.stream()
                    .map(r -> BlockHeaders.get(r.headers(), BlockHeaders.BLOCK_SEQ)).toList(), "one block per block");
            List<String> ids = new ArrayList<>();
            for (int b = 0; b < predictions.size(); b++) {
                ProducerRecord<byte[], byte[]> record = predictions.get(b);
                assertEquals("job", BlockHeaders.get(record.headers(), BlockHeaders.JOB_ID));
                List<PredictionRow> rows = codec.decode(PredictionRow.SCHEMA, record.value());
                assertEquals(sizes[b], rows.size());
                for (PredictionRow row : rows) {
                    ids.add(row.rowId());
                    Classification expected = model.classify(List.of(pixelsById.get(row.rowId()))).get(0);
                    assertEquals(expected.labels().get(0), row.labels().get(0), row.rowId());
                    assertEquals(expected.scores()[0], row.scores()[0], 1e-4, row.rowId());
                    assertEquals("fashion-mnist-cnn:1", row.model());
                    assertNull(row.embedding(), row.rowId());
                }
            }
            List<String> expectedIds = new ArrayList<>();
            for (int i = 0; i < 19; i++) {
                expectedIds.add("job-" + i);
            }
            assertEquals(expectedIds, ids, "every row once, in order");

            List<String> dead = new ArrayList<>();
            producer.history().stream().filter(r -> r.topic().equals(DLQ))
                    .forEach(r -> codec.decode(DeadLetterRow.SCHEMA, r.value()).forEach(d -> dead.add(d.rowId())));
            assertEquals(2, dead.size(), dead.toString());
            assertTrue(dead.contains("job-bad"));
            assertTrue(dead.contains("block:kbi.tensors-0@3"));
        }
    }

    @Test
    void anEmbeddingModelsRowsCarryTheVectorNoLabelsAndTheModelsNameAndVersion() throws Exception {
        List<byte[]> images = Samples.images();
        List<float[]> direct = Samples.directEmbeddings();
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        try (BlockCodec codec = new BlockCodec();
                ImageEmbedder model = ImageEmbedder.load(Samples.EMBEDDING_MODEL_DIR, "cpu");
                BatchingClassifier batcher = BatchingClassifier.start(model, 8, Duration.ofMillis(50), 1,
                        ModelListener.NONE);
                InferenceHandler handler = new InferenceHandler("inference", codec, OUT, model.descriptor(),
                        batcher.newSource())) {
            BlockEmitter emitter = new BlockEmitter(producer, new BlockSplitter(codec, 8 << 20), DLQ, "inference",
                    StageMetrics.inMemory("inference"));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            int next = 0;
            int[] sizes = {5, 13, 1};
            for (int b = 0; b < sizes.length; b++) {
                List<TensorRow> rows = new ArrayList<>();
                for (int i = 0; i < sizes[b]; i++, next++) {
                    rows.add(new TensorRow("job-" + next, "s" + next, 1, 2, 1, 28, 28, images.get(next)));
                }
                records.add(record(b, "job", String.valueOf(b), codec.encode(TensorRow.SCHEMA, rows)));
            }
            handler.handleAll(records, emitter);
            emitter.flush();

            List<PredictionRow> rows = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : producer.history()) {
                assertEquals(OUT, record.topic(), "nothing dead-lettered");
                assertEquals(PredictionRow.SCHEMA.name(), BlockHeaders.get(record.headers(), BlockHeaders.SCHEMA));
                rows.addAll(codec.decode(PredictionRow.SCHEMA, record.value()));
            }
            assertEquals(19, rows.size());
            for (int i = 0; i < rows.size(); i++) {
                PredictionRow row = rows.get(i);
                assertEquals("job-" + i, row.rowId());
                assertEquals("fashion-mnist-cnn-embedding:1", row.model());
                assertEquals(List.of(), row.labels());
                assertEquals(0, row.scores().length);
                assertEquals(Samples.EMBEDDING_DIMENSION, row.embedding().length, row.rowId());
                assertArrayEquals(Samples.l2Normalized(direct.get(i)), row.embedding(), 1e-4f, row.rowId());
            }
        }
    }

    @Test
    void aRowTheModelFailsOnAndARowWithANonFiniteOutputAreDeadLetteredAndTheirBlockGoesOn() throws Exception {
        List<byte[]> images = Samples.images();
        byte[] crashes = images.get(2);
        byte[] givesNaN = images.get(4);
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        try (BlockCodec codec = new BlockCodec();
                ImageClassifier model = ImageClassifier.load(Samples.MODEL_DIR, "cpu");
                BatchingClassifier batcher = BatchingClassifier.start(new BadRowsModel(model, crashes, givesNaN), 8,
                        Duration.ofMillis(50), 1, ModelListener.NONE);
                InferenceHandler handler = new InferenceHandler("inference", codec, OUT, model.descriptor(),
                        batcher.newSource())) {
            BlockEmitter emitter = new BlockEmitter(producer, new BlockSplitter(codec, 8 << 20), DLQ, "inference",
                    StageMetrics.inMemory("inference"));
            List<TensorRow> rows = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                rows.add(new TensorRow("job-" + i, "s" + i, 1, 2, 1, 28, 28, images.get(i)));
            }
            handler.handleAll(List.of(record(0, "job", "0", codec.encode(TensorRow.SCHEMA, rows))), emitter);
            emitter.flush();

            List<String> written = new ArrayList<>();
            Map<String, String> dead = new HashMap<>();
            for (ProducerRecord<byte[], byte[]> record : producer.history()) {
                if (record.topic().equals(OUT)) {
                    codec.decode(PredictionRow.SCHEMA, record.value()).forEach(r -> written.add(r.rowId()));
                } else {
                    codec.decode(DeadLetterRow.SCHEMA, record.value()).forEach(d -> dead.put(d.rowId(), d.errorClass()));
                }
            }
            assertEquals(List.of("job-0", "job-1", "job-3", "job-5"), written);
            assertEquals(Map.of("job-2", RowModelException.class.getName(), "job-4", ArithmeticException.class.getName()),
                    dead);
        }
    }

    /** The real model, except that it throws on a batch holding one image and returns NaN for another. */
    private record BadRowsModel(ImageClassifier model, byte[] crashes, byte[] givesNaN) implements BatchModel {

        @Override
        public ModelDescriptor descriptor() {
            return model.descriptor();
        }

        @Override
        public List<Classification> predict(List<byte[]> pixels) {
            if (indexOf(pixels, crashes) >= 0) {
                throw new IllegalStateException("native error on one tensor");
            }
            List<Classification> results = new ArrayList<>(model.classify(pixels));
            int nan = indexOf(pixels, givesNaN);
            if (nan >= 0) {
                Classification c = results.get(nan);
                results.set(nan, new Classification(c.labels(), new float[] {Float.NaN}, c.indices()));
            }
            return results;
        }

        @Override
        public void close() {
        }

        /** Rows arrive decoded from their block: compare contents, not arrays. */
        private static int indexOf(List<byte[]> pixels, byte[] wanted) {
            for (int i = 0; i < pixels.size(); i++) {
                if (java.util.Arrays.equals(pixels.get(i), wanted)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String jobId, String seq, byte[] value) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("kbi.tensors", 0, offset, null, value);
        BlockHeaders.of(jobId, seq, 0, TensorRow.SCHEMA).forEach(h -> record.headers().add(h));
        return record;
    }
}
