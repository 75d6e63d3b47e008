package dev.kbi.inference.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.inference.model.BatchModel;
import dev.kbi.inference.model.Classification;
import dev.kbi.inference.model.Embedding;
import dev.kbi.inference.model.ImageClassifier;
import dev.kbi.inference.model.ImageEmbedder;
import dev.kbi.inference.model.ModelDescriptor;
import dev.kbi.inference.model.ModelOutput;
import dev.kbi.inference.model.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchingClassifierTest {

    private static ImageClassifier model;
    private static List<Classification> direct;

    @BeforeAll
    static void load() {
        model = ImageClassifier.load(Samples.MODEL_DIR, "cpu");
        direct = new ArrayList<>();
        List<byte[]> images = Samples.images();
        for (int i = 0; i < images.size(); i += 32) {
            direct.addAll(model.classify(images.subList(i, Math.min(images.size(), i + 32))));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The real model, recording the size of every model call. */
    private static final class Recording implements BatchModel {
        final List<Integer> batches = new CopyOnWriteArrayList<>();

        @Override
        public ModelDescriptor descriptor() {
            return model.descriptor();
        }

        @Override
        public List<Classification> predict(List<byte[]> pixels) {
            batches.add(pixels.size());
            return model.classify(pixels);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void oddBlocksShareModelBatchesAndEveryRowGetsItsOwnResult() throws Exception {
        Recording recording = new Recording();
        List<byte[]> images = Samples.images();
        int[] blockSizes = {5, 13, 1};
        try (BatchingClassifier batcher = BatchingClassifier.start(recording, 8, Duration.ofSeconds(10), 1,
                ModelListener.NONE); BatchingClassifier.Source source = batcher.newSource()) {
            List<List<CompletableFuture<ModelOutput>>> blocks = new ArrayList<>();
            int next = 0;
            for (int size : blockSizes) {
                blocks.add(source.submit(images.subList(next, next + size)));
                next += size;
            }
            next = 0;
            for (int b = 0; b < blockSizes.length; b++) {
                List<ModelOutput> results = source.await(blocks.get(b));
                assertEquals(blockSizes[b], results.size());
                for (ModelOutput result : results) {
                    assertTrue(Samples.sameTop1(direct.get(next), result), "row " + next);
                    next++;
                }
            }
        }
        assertEquals(19, recording.batches.stream().mapToInt(Integer::intValue).sum(), "every row once");
        assertTrue(recording.batches.stream().allMatch(n -> n <= 8), "batches of at most 8: " + recording.batches);
        // 19 rows queued before anyone waited: two full batches and the rest, not one call per block.
        assertEquals(List.of(8, 8, 3), recording.batches);
    }

    @Test
    void resultsDoNotDependOnBatchOrBlockSize() throws Exception {
        List<byte[]> images = Samples.images();
        for (int batchSize : new int[] {1, 7, 32}) {
            for (int blockSize : new int[] {3, 37}) {
                try (BatchingClassifier batcher = BatchingClassifier.start(model, batchSize, Duration.ofMillis(50), 1,
                        ModelListener.NONE); BatchingClassifier.Source source = batcher.newSource()) {
                    List<CompletableFuture<ModelOutput>> futures = new ArrayList<>();
                    for (int i = 0; i < images.size(); i += blockSize) {
                        futures.addAll(source.submit(images.subList(i, Math.min(images.size(), i + blockSize))));
                    }
                    List<ModelOutput> results = source.await(futures);
                    for (int i = 0; i < images.size(); i++) {
                        assertTrue(Samples.sameTop1(direct.get(i), results.get(i)),
                                "row " + i + " batch " + batchSize + " block " + blockSize);
                    }
                }
            }
        }
    }

    @Test
    void embeddingsThroughTheQueueEqualADirectForwardWhateverTheBatchOrBlockSize() throws Exception {
        List<byte[]> images = Samples.images();
        List<float[]> direct = Samples.directEmbeddings();
        try (ImageEmbedder embedder = ImageEmbedder.load(Samples.EMBEDDING_MODEL_DIR, "cpu")) {
            for (int batchSize : new int[] {1, 7, 32}) {
                for (int blockSize : new int[] {3, 37}) {
                    try (BatchingClassifier batcher = BatchingClassifier.start(embedder, batchSize,
                            Duration.ofMillis(50), 2, ModelListener.NONE);
                            BatchingClassifier.Source source = batcher.newSource()) {
                        List<CompletableFuture<ModelOutput>> futures = new ArrayList<>();
                        for (int i = 0; i < images.size(); i += blockSize) {
                            futures.addAll(source.submit(images.subList(i, Math.min(images.size(), i + blockSize))));
                        }
                        List<ModelOutput> results = source.await(futures);
                        assertEquals(images.size(), results.size());
                        for (int i = 0; i < images.size(); i++) {
                            String where = "row " + i + " batch " + batchSize + " block " + blockSize;
                            ModelOutput result = results.get(i);
                            assertInstanceOf(Embedding.class, result, where);
                            assertEquals(List.of(), result.labels(), where);
                            assertEquals(0, result.scores().length, where);
                            assertEquals(Samples.EMBEDDING_DIMENSION, result.embedding().length, where);
                            assertArrayEquals(Samples.l2Normalized(direct.get(i)), result.embedding(), 1e-4f, where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aModelReturningTheWrongNumberOfResultsFailsItsRows() throws Exception {
        BatchModel dropsOne = new BatchModel() {
            @Override
            public ModelDescriptor descriptor() {
                return model.descriptor();
            }

            @Override
            public List<Classification> predict(List<byte[]> pixels) {
                return model.classify(pixels.subList(1, pixels.size()));
            }

            @Override
            public void close() {
            }
        };
        try (BatchingClassifier batcher = BatchingClassifier.start(dropsOne, 8, Duration.ZERO, 1, ModelListener.NONE);
                BatchingClassifier.Source source = batcher.newSource()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> source.await(source.submit(Samples.images().subList(0, 3))));
            assertTrue(e.getCause().getMessage().contains("returned 2 results for a batch of 3"),
                    e.getCause().getMessage());
        }
    }

    @Test
    void aTrickleRunsAfterMaxBatchWaitWhileAnotherSourceMaySendMore() throws Exception {
        Duration maxWait = Duration.ofMillis(300);
        try (BatchingClassifier batcher = BatchingClassifier.start(model, 32, maxWait, 1, ModelListener.NONE);
                BatchingClassifier.Source trickle = batcher.newSource();
                BatchingClassifier.Source idle = batcher.newSource()) {
            long start = System.nanoTime();
            List<ModelOutput> results = trickle.await(trickle.submit(List.of(Samples.images().get(0))));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(Samples.sameTop1(direct.get(0), results.get(0)));
            assertTrue(millis >= 300, "waited for more rows up to max-batch-wait: " + millis + " ms");
            assertTrue(millis < 300 + 2_000, "ran once max-batch-wait passed: " + millis + " ms");
        }
    }

    @Test
    void aPartialBatchRunsAtOnceWhenEverySourceWaits() throws Exception {
        try (BatchingClassifier batcher = BatchingClassifier.start(model, 32, Duration.ofSeconds(30), 1,
                ModelListener.NONE); BatchingClassifier.Source only = batcher.newSource()) {
            long start = System.nanoTime();
            only.await(only.submit(Samples.images().subList(0, 5)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 5_000, "no wait for rows that cannot come: " + millis + " ms");
        }
    }

    @Test
    void aBadRowIsIsolatedBySplittingItsBatchAndTheOtherRowsGetTheirResults() throws Exception {
        List<byte[]> images = new ArrayList<>(Samples.images().subList(0, 8));
        byte[] poison = new byte[images.get(0).length];
        images.set(5, poison);
        Recording calls = new Recording();
        BatchModel failsOnPoison = new BatchModel() {
            @Override
            public ModelDescriptor descriptor() {
                return model.descriptor();
            }

            @Override
            public List<Classification> predict(List<byte[]> pixels) {
                if (pixels.contains(poison)) {
                    calls.batches.add(-pixels.size());
                    throw new IllegalStateException("native error on a bad tensor");
                }
                return calls.predict(pixels);
            }

            @Override
            public void close() {
            }
        };
        try (BatchingClassifier batcher = BatchingClassifier.start(failsOnPoison, 8, Duration.ofSeconds(10), 1,
                ModelListener.NONE); BatchingClassifier.Source source = batcher.newSource()) {
            List<CompletableFuture<ModelOutput>> results = source.submit(images);
            source.settle(results);
            for (int i = 0; i < images.size(); i++) {
                if (i == 5) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> results.get(5).get());
                    assertInstanceOf(RowModelException.class, e.getCause());
                } else {
                    assertTrue(Samples.sameTop1(direct.get(i), results.get(i).get()), "row " + i);
                }
            }
            // Rows 0-7 fail; 0-3 run, 4-7 fail; 4-5 fail, 4 runs, 5 fails alone; 6-7 run.
            assertEquals(List.of(-8, 4, -4, -2, 1, -1, 2), calls.batches);
        }
    }

    @Test
    void aModelFailingOnEveryRowEvenAloneFailsTheStageWithItsError() throws Exception {
        BatchModel broken = new BatchModel() {
            @Override
            public ModelDescriptor descriptor() {
                return model.descriptor();
            }

            @Override
            public List<Classification> predict(List<byte[]> pixels) {
                throw new IllegalStateException("native error");
            }

            @Override
            public void close() {
            }
        };
        try (BatchingClassifier batcher = BatchingClassifier.start(broken, 8, Duration.ZERO, 1, ModelListener.NONE);
                BatchingClassifier.Source source = batcher.newSource()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> source.await(source.submit(Samples.images().subList(0, 3))));
            assertInstanceOf(IllegalStateException.class, e.getCause(), "not a row's fault");
        }
    }

    @Test
    void closeRunsQueuedRowsThenRefusesNewOnes() throws Exception {
        BatchingClassifier batcher = BatchingClassifier.start(model, 8, Duration.ofSeconds(30), 1, ModelListener.NONE);
        BatchingClassifier.Source source = batcher.newSource();
        BatchingClassifier.Source other = batcher.newSource(); // keeps the partial batch waiting
        List<CompletableFuture<ModelOutput>> queued = source.submit(Samples.images().subList(0, 3));
        batcher.close();
        assertEquals(3, source.await(queued).size(), "drained on close");
        assertThrows(IllegalStateException.class, () -> source.submit(Samples.images().subList(0, 1)));
        other.close();
    }
}
