package dev.kbi.common.runtime;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockFormatException;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.block.RowSchema;
import dev.kbi.common.rows.DeadLetterRow;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The handler of a topic-to-topic stage: decodes the block, runs the {@link StageFunction}, emits
 * the results as blocks of the same job, and dead-letters failed rows and unreadable blocks.
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
        String jobId = jobIdOf(record);
        String blockSeq = blockSeqOf(record);
        List<I> rows;
        try {
            rows = codec.decode(inputSchema, record.value());
        } catch (BlockFormatException e) {
            out.deadLetterBlock(jobId, blockSeq, unreadableBlock(stage, record, e),
                    BlockHeaders.rowCount(record.headers()));
            return;
        }
        RowFailures failures = new RowFailures(stage);
        List<O> results = function.apply(rows, failures);
        out.emit(outputTopic, jobId, blockSeq, outputSchema, results, outputIdentity);
        out.deadLetter(jobId, blockSeq, failures.rows());
    }

    /**
     * A dead letter standing for a whole block that {@code stage} could not decode: its id names the
     * record's position, its message the declared row count, its payload the record's bytes.
     */
    public static DeadLetterRow unreadableBlock(String stage, ConsumerRecord<byte[], byte[]> record,
            BlockFormatException e) {
        return new DeadLetterRow(blockId(record), null, stage, e.getClass().getName(),
                e.getMessage() + " (declared rows: " + BlockHeaders.rowCount(record.headers()) + ")",
                System.currentTimeMillis(), record.value());
    }

    /** The dead-letter row id of a whole block: {@code block:<topic>-<partition>@<offset>}. */
    public static String blockId(ConsumerRecord<byte[], byte[]> record) {
        return "block:" + record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** The block's job id header, or {@code unknown} for records from producers that set none. */
    public static String jobIdOf(ConsumerRecord<byte[], byte[]> record) {
        String jobId = BlockHeaders.get(record.headers(), BlockHeaders.JOB_ID);
        return jobId == null ? "unknown" : jobId;
    }

    /** The block's sequence header, or its topic position when the producer set none. */
    public static String blockSeqOf(ConsumerRecord<byte[], byte[]> record) {
        String seq = BlockHeaders.get(record.headers(), BlockHeaders.BLOCK_SEQ);
        return seq == null ? record.partition() + "@" + record.offset() : seq;
    }
}
