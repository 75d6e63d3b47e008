package dev.kbi.inference.batch;

import dev.kbi.inference.model.BatchModel;
import dev.kbi.inference.model.ModelOutput;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Re-batching between the consumer threads and the model: rows of any number of blocks go into one
 * bounded queue, and each model thread takes up to {@code batchSize} rows from it per model call,
 * so the model batch is independent of the block size (rows of several blocks share a batch, a
 * large block spans several). The queue is the hand-off that overlaps Kafka with the model: while
 * the model runs a batch, consumer threads decode and queue the next rows and send the previous
 * results, so a model thread never waits for Kafka when input is there.
 *
 * <p>A model thread runs a partial batch when the oldest queued row has waited
 * {@code maxBatchWait} (a trickle of input is never stuck), or earlier when no more rows can come:
 * every registered {@link Source} (one per consumer thread) is blocked waiting for results, so
 * waiting would only idle the model. Rows are taken in arrival order. A failing model call fails
 * the futures of its rows (the waiting consumer thread then fails the stage: the input is redone).
 *
 * <p>The model may be a classifier or an embedding model ({@link BatchModel}): each row's future
 * completes with its {@link ModelOutput}, whichever kind it is.
 *
 * <p>Sources submit rows (blocking while the queue is full: back-pressure on Kafka) and wait for
 * their results; the queue holds {@value #QUEUE_BATCHES_PER_THREAD} model batches per model thread,
 * enough for the next batch to be ready the moment one ends.
 */
public final class BatchingClassifier implements AutoCloseable {

    /** Queue capacity in model batches per model thread. */
    static final int QUEUE_BATCHES_PER_THREAD = 4;

    private final BatchModel model;
    private final int batchSize;
    private final long maxWaitNanos;
    private final int capacity;
    private final ModelListener listener;
    private final List<Thread> threads = new ArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when rows arrive, every source waits, or the classifier closes (model threads wait on it). */
    private final Condition work = lock.newCondition();
    /** Signalled when rows leave the queue or the classifier closes (sources blocked on a full queue wait on it). */
    private final Condition space = lock.newCondition();
    private final ArrayDeque<PendingRow> queue = new ArrayDeque<>();
    private int sources;
    private int waitingSources;
    private boolean closed;

    private BatchingClassifier(BatchModel model, int batchSize, Duration maxBatchWait, int modelThreads,
            ModelListener listener) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("inference.batch-size must be >= 1, was " + batchSize);
        }
        if (modelThreads < 1) {
            throw new IllegalArgumentException("inference.workers must be >= 1, was " + modelThreads);
        }
        if (maxBatchWait.isNegative()) {
            throw new IllegalArgumentException("inference.max-batch-wait must not be negative, was " + maxBatchWait);
        }
        this.model = model;
        this.batchSize = batchSize;
        this.maxWaitNanos = maxBatchWait.toNanos();
        this.capacity = batchSize * modelThreads * QUEUE_BATCHES_PER_THREAD;
        this.listener = listener;
    }

    /**
     * Starts {@code modelThreads} model threads sharing {@code model} (thread-safe).
     *
     * @param batchSize rows per model call at most
     * @param maxBatchWait how long the oldest queued row may wait for a batch to fill
     */
    public static BatchingClassifier start(BatchModel model, int batchSize, Duration maxBatchWait, int modelThreads,
            ModelListener listener) {
        BatchingClassifier classifier = new BatchingClassifier(model, batchSize, maxBatchWait, modelThreads, listener);
        for (int i = 0; i < modelThreads; i++) {
            int index = i;
            Thread thread = new Thread(() -> classifier.runModel(index), "inference-model-" + i);
            // A forgotten close() must not keep the JVM alive; close() drains the queue itself.
            thread.setDaemon(true);
            classifier.threads.add(thread);
            thread.start();
        }
        return classifier;
    }

    /** Registers a producer of rows (one per consumer thread); close it when that thread ends. */
    public Source newSource() {
        lock.lock();
        try {
            sources++;
            return new Source();
        } finally {
            lock.unlock();
        }
    }

    /** Rows queued and not yet taken by a model thread. */
    public int queuedRows() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Runs the rows already queued, then stops the model threads. Submitting afterwards fails. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
            space.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void runModel(int thread) {
        while (true) {
            List<PendingRow> batch;
            try {
                batch = takeBatch();
            } catch (InterruptedException e) {
                // Nobody interrupts model threads but close(), which lets them drain; keep draining.
                continue;
            }
            if (batch.isEmpty()) {
                return;
            }
            runBatch(thread, batch);
        }
    }

    /** The next model batch, or an empty list once closed and drained. */
    private List<PendingRow> takeBatch() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (queue.isEmpty()) {
                    if (closed) {
                        return List.of();
                    }
                    work.await();
                    continue;
                }
                long waitLeft = queue.peekFirst().enqueuedNanos() + maxWaitNanos - System.nanoTime();
                if (queue.size() >= batchSize || waitLeft <= 0 || waitingSources >= sources || closed) {
                    return drain();
                }
                work.awaitNanos(waitLeft);
            }
        } finally {
            lock.unlock();
        }
    }

    private List<PendingRow> drain() {
        int n = Math.min(batchSize, queue.size());
        List<PendingRow> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(queue.pollFirst());
        }
        space.signalAll();
        if (!queue.isEmpty()) {
            work.signal(); // another model thread may take the rest
        }
        return batch;
    }

    private void runBatch(int thread, List<PendingRow> batch) {
        listener.batchStarted(thread);
        try {
            List<Object> outcomes = new ArrayList<>(java.util.Collections.nCopies(batch.size(), null));
            RuntimeException batchError = isolate(batch, 0, batch.size(), outcomes);
            boolean modelBroken = batch.size() > 1 && outcomes.stream().allMatch(o -> o instanceof RuntimeException);
            for (int i = 0; i < batch.size(); i++) {
                CompletableFuture<ModelOutput> result = batch.get(i).result();
                if (outcomes.get(i) instanceof ModelOutput output) {
                    result.complete(output);
                } else if (modelBroken) {
                    // Every row fails even alone: the model, not the rows, is at fault; the stage fails.
                    result.completeExceptionally(batchError);
                } else {
                    result.completeExceptionally(new RowModelException((RuntimeException) outcomes.get(i)));
                }
            }
        } catch (Error e) {
            // Out of memory or the like: nothing to isolate; the consumer threads fail the stage with it.
            for (PendingRow row : batch) {
                row.result().completeExceptionally(e);
            }
        } finally {
            listener.batchEnded(thread, batch.size());
        }
    }

    /**
     * Runs rows {@code [from, to)} of the batch, putting each row's output (or, for a row the model
     * fails on alone, its exception) into {@code outcomes}. When the model throws on several rows,
     * they are split in halves and each half run, so one bad row fails alone and the others of its
     * batch still get results, at about 2 log2(n) extra model calls per bad row.
     *
     * @return the exception of the call on the whole range, or null when it succeeded
     */
    private RuntimeException isolate(List<PendingRow> batch, int from, int to, List<Object> outcomes) {
        List<byte[]> pixels = new ArrayList<>(to - from);
        for (PendingRow row : batch.subList(from, to)) {
            pixels.add(row.pixels());
        }
        try {
            List<? extends ModelOutput> results = model.predict(pixels);
            if (results.size() != pixels.size()) {
                throw new IllegalStateException("Model " + model.descriptor().qualifiedName() + " returned "
                        + results.size() + " results for a batch of " + pixels.size() + " images");
            }
            for (int i = 0; i < results.size(); i++) {
                outcomes.set(from + i, results.get(i));
            }
            return null;
        } catch (RuntimeException e) {
            if (to - from == 1) {
                outcomes.set(from, e);
            } else {
                int middle = (from + to) >>> 1;
                isolate(batch, from, middle, outcomes);
                isolate(batch, middle, to, outcomes);
            }
            return e;
        }
    }

    /**
     * One producer of rows, used by one thread at a time: it {@link #submit submits} rows, then
     * {@link #await awaits} them. While a source awaits it adds no rows, which lets a partial batch
     * run at once when every source awaits.
     */
    public final class Source implements AutoCloseable {

        private boolean open = true;

        private Source() {
        }

        /**
         * Queues {@code images} for the model, blocking while the queue is full.
         *
         * @return one future per image, in order
         * @throws IllegalStateException if the classifier is closed
         */
        public List<CompletableFuture<ModelOutput>> submit(List<byte[]> images) throws InterruptedException {
            List<CompletableFuture<ModelOutput>> futures = new ArrayList<>(images.size());
            lock.lockInterruptibly();
            try {
                for (byte[] image : images) {
                    while (queue.size() >= capacity && !closed) {
                        space.await();
                    }
                    if (closed) {
                        throw new IllegalStateException("The inference model is shut down; no rows are accepted");
                    }
                    CompletableFuture<ModelOutput> future = new CompletableFuture<>();
                    queue.addLast(new PendingRow(image, future, System.nanoTime()));
                    futures.add(future);
                    // Wake a model thread when its deadline starts or a full batch is ready, not per row.
                    if (queue.size() == 1 || queue.size() % batchSize == 0) {
                        work.signal();
                    }
                }
            } finally {
                lock.unlock();
            }
            return futures;
        }

        /**
         * Waits for the results of submitted rows.
         *
         * @throws ExecutionException if the model call of one of the rows failed
         */
        public List<ModelOutput> await(List<CompletableFuture<ModelOutput>> futures)
                throws InterruptedException, ExecutionException {
            changeWaiting(1);
            try {
                List<ModelOutput> results = new ArrayList<>(futures.size());
                for (CompletableFuture<ModelOutput> future : futures) {
                    results.add(future.get());
                }
                return results;
            } finally {
                changeWaiting(-1);
            }
        }

        /**
         * Waits until every future is done, successfully or not, without throwing for a failed one:
         * the caller looks at each (a {@link RowModelException} is one bad row, anything else a failure
         * of the model).
         */
        public void settle(List<CompletableFuture<ModelOutput>> futures) throws InterruptedException {
            changeWaiting(1);
            try {
                for (CompletableFuture<ModelOutput> future : futures) {
                    try {
                        future.get();
                    } catch (ExecutionException e) {
                        // looked at by the caller
                    }
                }
            } finally {
                changeWaiting(-1);
            }
        }

        private void changeWaiting(int delta) {
            lock.lock();
            try {
                waitingSources += delta;
                if (waitingSources >= sources) {
                    work.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        /** Deregisters the source: model threads stop expecting rows from it. */
        @Override
        public void close() {
            lock.lock();
            try {
                if (open) {
                    open = false;
                    sources--;
                    work.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
