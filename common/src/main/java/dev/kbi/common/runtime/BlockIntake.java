package dev.kbi.common.runtime;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockFormatException;
import dev.kbi.common.block.BlockHeaders;
import dev.kbi.common.block.RowSchema;
import dev.kbi.common.job.JobIds;
import dev.kbi.common.rows.DeadLetterRow;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The one way a stage takes a block record in. Everything on a topic is untrusted: any producer may
 * write there. The headers are checked ({@link JobIds}: a job id becomes a folder name downstream)
 * and the value decoded; a record that fails either is dead-lettered whole with the reason, under
 * its job when the job id is valid and under {@link JobIds#UNKNOWN} when not, counted as the rows
 * its header declares (at least one), so the job's counts add up.
 */
public final class BlockIntake {

    /** Our sequences are {@code 12}, {@code 12.3}, {@code 12.preprocessor-dlq} or {@code 3@1200}. */
    private static final Pattern VALID_SEQ = Pattern.compile("[A-Za-z0-9._@:-]{1,200}");

    private BlockIntake() {
    }

    /**
     * A decoded block, with the job and sequence it belongs to.
     *
     * @param <R> row type
     */
    public record Block<R>(String jobId, String blockSeq, List<R> rows) {
    }

    /**
     * The record's rows of {@code schema}, or null when the record was dead-lettered (see class doc)
     * through {@code out} as {@code stage}'s.
     */
    public static <R> Block<R> decodeOrDeadLetter(String stage, BlockCodec codec, RowSchema<R> schema,
            ConsumerRecord<byte[], byte[]> record, BlockEmitter out) {
        try {
            return new Block<>(jobIdOf(record), blockSeqOf(record), decode(codec, schema, record));
        } catch (BlockFormatException e) {
            out.deadLetterBlock(jobIdOf(record), blockSeqOf(record), unreadableBlock(stage, record, e),
                    BlockHeaders.rowCount(record.headers()));
            return null;
        }
    }

    /**
     * The record's rows of {@code schema}, its headers checked first.
     *
     * @throws BlockFormatException if its headers cannot be trusted or its value is not such a block
     */
    public static <R> List<R> decode(BlockCodec codec, RowSchema<R> schema, ConsumerRecord<byte[], byte[]> record) {
        String problem = headerProblem(record);
        if (problem != null) {
            throw new InvalidBlockHeaderException(problem);
        }
        return codec.decode(schema, record.value());
    }

    /** Why the record's headers cannot be trusted, or null when they can. */
    private static String headerProblem(ConsumerRecord<byte[], byte[]> record) {
        String jobId = BlockHeaders.get(record.headers(), BlockHeaders.JOB_ID);
        if (jobId != null && !JobIds.isValid(jobId)) {
            return "Header " + BlockHeaders.JOB_ID + ": " + JobIds.problem(jobId);
        }
        String seq = BlockHeaders.get(record.headers(), BlockHeaders.BLOCK_SEQ);
        if (seq != null && !VALID_SEQ.matcher(seq).matches()) {
            return "Header " + BlockHeaders.BLOCK_SEQ + " " + JobIds.quote(seq)
                    + " is not 1 to 200 characters of A-Z, a-z, 0-9, '.', '_', '@', ':', '-'";
        }
        return null;
    }

    /**
     * The block's job: its job id header when valid; {@link JobIds#UNKNOWN} for records from
     * producers that set none or an invalid one (such records are dead-lettered).
     */
    public static String jobIdOf(ConsumerRecord<byte[], byte[]> record) {
        String jobId = BlockHeaders.get(record.headers(), BlockHeaders.JOB_ID);
        return JobIds.isValid(jobId) ? jobId : JobIds.UNKNOWN;
    }

    /** The block's sequence header when valid, else its topic position ({@code <partition>@<offset>}). */
    public static String blockSeqOf(ConsumerRecord<byte[], byte[]> record) {
        String seq = BlockHeaders.get(record.headers(), BlockHeaders.BLOCK_SEQ);
        return seq != null && VALID_SEQ.matcher(seq).matches() ? seq : record.partition() + "@" + record.offset();
    }

    /**
     * A dead letter standing for a whole block that {@code stage} could not take: its id names the
     * record's position, its message the reason and the declared row count, its payload the record's bytes.
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

    /** A block whose headers cannot be trusted: refused like an unreadable block, never retried. */
    public static final class InvalidBlockHeaderException extends BlockFormatException {

        public InvalidBlockHeaderException(String message) {
            super(message);
        }
    }
}
