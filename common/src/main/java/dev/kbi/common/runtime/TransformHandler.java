package dev.kbi.common.runtime;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.RowSchema;
import dev.kbi.common.rows.DeadLetterRow;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The handler of a topic-to-topic stage: decodes the block, runs the {@link StageFunction}, emits
 * the results as blocks of the same job, and dead-letters failed rows and unreadable blocks
 * ({@link BlockIntake}).
 *
 * @param <I> input row type
 * @param <O> output row type
 */
public final class TransformHandler<I, O> implements BlockHandler {

    private final String stage;
    private final BlockCodec codec;
    private final RowSchema<I> inputSchema;
    private final RowSchema<O> outputSchema;
    private final String outputTopic;
    private final StageFunction<I, O> function;
    private final Function<O, DeadLetterRow.Identity> outputIdentity;

    public TransformHandler(String stage, BlockCodec codec, RowSchema<I> inputSchema, RowSchema<O> outputSchema,
            String outputTopic, StageFunction<I, O> function, Function<O, DeadLetterRow.Identity> outputIdentity) {
        this.stage = stage;
        this.codec = codec;
        this.inputSchema = inputSchema;
        this.outputSchema = outputSchema;
        this.outputTopic = outputTopic;
        this.function = function;
        this.outputIdentity = outputIdentity;
    }

    @Override
    public void handle(ConsumerRecord<byte[], byte[]> record, BlockEmitter out) throws Exception {
        BlockIntake.Block<I> block = BlockIntake.decodeOrDeadLetter(stage, codec, inputSchema, record, out);
        if (block == null) {
            return;
        }
        RowFailures failures = new RowFailures(stage);
        List<O> results = function.apply(block.rows(), failures);
        out.emit(outputTopic, block.jobId(), block.blockSeq(), outputSchema, results, outputIdentity);
        out.deadLetter(block.jobId(), block.blockSeq(), failures.rows());
    }
}
