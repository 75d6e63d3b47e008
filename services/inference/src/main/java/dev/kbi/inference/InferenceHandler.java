package dev.kbi.inference;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.PredictionRow;
import dev.kbi.common.rows.TensorRow;
import dev.kbi.common.runtime.BlockEmitter;
import dev.kbi.common.runtime.BlockHandler;
import dev.kbi.common.runtime.BlockIntake;
import dev.kbi.common.runtime.RowFailures;
import dev.kbi.inference.batch.BatchingClassifier;
import dev.kbi.inference.batch.RowModelException;
import dev.kbi.inference.model.ModelOutput;
import dev.kbi.inference.model.ModelDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The inference stage's handler, one per consumer thread. For the blocks of one poll it decodes
 * each block and queues its rows on the shared {@link BatchingClassifier} at once, then waits for
 * the blocks' results in order and sends each block's predictions as soon as they are complete: so
 * the rows of all blocks in hand can fill model batches together, and sending block 1 overlaps the
 * model's work on the later blocks. Every output block keeps its input's job id and block seq, every
 * row its row id, and every row names the model ({@code name:version}). A classification model's
 * rows carry top-k labels and scores and no embedding; an embedding model's rows carry no labels or
 * scores and the vector. Rows whose tensor shape does not match the model, and blocks that cannot
 * be decoded, are dead-lettered; a failing model call (including an embedding of the wrong
 * dimension) fails the stage (the blocks are redone).
 */
final class InferenceHandler implements BlockHandler {

    private final String stage;
    private final BlockCodec codec;
    private final String outputTopic;
    private final ModelDescriptor descriptor;
    private final BatchingClassifier.Source model;

    /** A decoded block whose rows are queued for the model. */
    private record BlockInFlight(String jobId, String blockSeq, List<TensorRow> rows,
            List<CompletableFuture<ModelOutput>> results, RowFailures failures) {
    }

    InferenceHandler(String stage, BlockCodec codec, String outputTopic, ModelDescriptor descriptor,
            BatchingClassifier.Source model) {
        this.stage = stage;
        this.codec = codec;
        this.outputTopic = outputTopic;
        this.descriptor = descriptor;
        this.model = model;
    }

    @Override
    public void handle(ConsumerRecord<byte[], byte[]> record, BlockEmitter out) throws Exception {
        handleAll(List.of(record), out);
    }

    @Override
    public void handleAll(List<ConsumerRecord<byte[], byte[]>> records, BlockEmitter out) throws Exception {
        List<BlockInFlight> blocks = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            BlockInFlight block = submit(record, out);
            if (block != null) {
                blocks.add(block);
            }
        }
        for (BlockInFlight block : blocks) {
            emit(block, out);
        }
    }

    /** Decodes a block and queues its valid rows; null if the block is unreadable (dead-lettered). */
    private BlockInFlight submit(ConsumerRecord<byte[], byte[]> record, BlockEmitter out)
            throws InterruptedException {
        BlockIntake.Block<TensorRow> block = BlockIntake.decodeOrDeadLetter(stage, codec, TensorRow.SCHEMA, record, out);
        if (block == null) {
            return null;
        }
        List<TensorRow> rows = block.rows();
        RowFailures failures = new RowFailures(stage);
        List<TensorRow> valid = new ArrayList<>(rows.size());
        List<byte[]> pixels = new ArrayList<>(rows.size());
        for (TensorRow row : rows) {
            String problem = shapeProblem(row);
            if (problem == null) {
                valid.add(row);
                pixels.add(row.pixels());
            } else {
                failures.fail(row.rowId(), row.source(), row.key(), new IllegalArgumentException(problem), null);
            }
        }
        return new BlockInFlight(block.jobId(), block.blockSeq(), valid, model.submit(pixels), failures);
    }

    /**
     * Emits the block's predictions once its rows are done. A row the model failed on alone, or whose
     * output is not finite (NaN, infinity), is dead-lettered; any other model failure fails the stage.
     */
    private void emit(BlockInFlight block, BlockEmitter out) throws InterruptedException {
        model.settle(block.results());
        long now = System.currentTimeMillis();
        List<PredictionRow> predictions = new ArrayList<>(block.rows().size());
        for (int i = 0; i < block.rows().size(); i++) {
            TensorRow row = block.rows().get(i);
            CompletableFuture<ModelOutput> future = block.results().get(i);
            Throwable error = rowError(future);
            if (error instanceof RowModelException) {
                block.failures().fail(row.rowId(), row.source(), row.key(), error, null);
            } else if (error != null) {
                throw new IllegalStateException("Model " + descriptor.qualifiedName() + " failed on a batch holding "
                        + "rows of " + block.jobId() + "/" + block.blockSeq() + ": " + error, error);
            } else if (!isFinite(future.join())) {
                block.failures().fail(row.rowId(), row.source(), row.key(), new ArithmeticException("The model's output for "
                        + "this row is not finite (NaN or infinity)"), null);
            } else {
                ModelOutput result = future.join();
                predictions.add(new PredictionRow(row.rowId(), row.source(), row.readAtMillis(),
                        row.preprocessedAtMillis(), now, result.labels(), result.scores(),
                        descriptor.qualifiedName(), result.embedding(), row.key()));
            }
        }
        out.emit(outputTopic, block.jobId(), block.blockSeq(), PredictionRow.SCHEMA, predictions,
                p -> new DeadLetterRow.Identity(p.rowId(), p.source(), p.key()));
        out.deadLetter(block.jobId(), block.blockSeq(), block.failures().rows());
    }

    /** Why the row's future failed, or null when it holds an output (it is done: see settle). */
    private static Throwable rowError(CompletableFuture<ModelOutput> future) {
        if (!future.isCompletedExceptionally()) {
            return null;
        }
        try {
            future.join();
            return null;
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    private static boolean isFinite(ModelOutput output) {
        return allFinite(output.scores()) && (output.embedding() == null || allFinite(output.embedding()));
    }

    private static boolean allFinite(float[] values) {
        for (float value : values) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    private String shapeProblem(TensorRow row) {
        ModelDescriptor.Input in = descriptor.input();
        if (row.channels() == in.channels() && row.height() == in.height() && row.width() == in.width()) {
            return null;
        }
        return "Tensor " + row.channels() + "x" + row.height() + "x" + row.width() + " does not match model "
                + descriptor.qualifiedName() + " input " + in.channels() + "x" + in.height() + "x" + in.width()
                + " (check the preprocessor's target size)";
    }

    /** A dead letter standing for a whole block that could not be decoded. */

    /** The consumer thread ends: the model stops expecting rows from it. */
    @Override
    public void close() {
        model.close();
    }
}
