package dev.kbi.writer;

import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockFormatException;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.PredictionRow;
import dev.kbi.common.runtime.BlockEmitter;
import dev.kbi.common.runtime.BlockHandler;
import dev.kbi.common.runtime.BlockIntake;
import dev.kbi.common.runtime.StageMetrics;
import dev.kbi.writer.parquet.CompletedFile;
import dev.kbi.writer.parquet.DeadLetterFormat;
import dev.kbi.writer.parquet.PredictionFormat;
import dev.kbi.writer.parquet.RollingParquetWriter;
import dev.kbi.writer.parquet.RowFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The writer's handler (one per worker): predictions and dead letters of each job go to that job's
 * folder as Parquet files, one set of files per input partition (see {@link PartitionFiles}).
 * Files are only renamed into place in {@link #flush()}, which the worker calls before committing
 * offsets: a committed row is always in a finished file; a file not covered by a commit is deleted
 * when its partition is next assigned, and its rows written again. So each row is in the output once.
 */
final class ParquetSinkHandler implements BlockHandler {

    static final String STAGE = Pipeline.WRITER;
    static final String PREDICTIONS = "predictions";
    static final String DEAD_LETTERS = "dead-letters";

    private static final Logger LOG = Logger.getLogger(ParquetSinkHandler.class);

    private final BlockCodec codec;
    private final String predictionsTopic;
    private final JobFolders folders;
    /** The results topic's records, or null when {@code writer.results} is off. */
    private final ResultRecords results;
    private final WriterConfig config;
    private final StageMetrics metrics;
    /** Files being written since the last flush, per job and input partition. */
    private final Map<JobPartition, RollingParquetWriter<?>> open = new HashMap<>();

    private record JobPartition(String jobId, TopicPartition partition) {
    }

    /** From the reader reading a row to its prediction being written here: the pipeline's row latency. */
    private final io.micrometer.core.instrument.Timer rowLatency;

    /**
     * @param resultsTopic where each written prediction also goes as JSON, or null for nowhere
     */
    ParquetSinkHandler(BlockCodec codec, String predictionsTopic, String resultsTopic, JobFolders folders,
            WriterConfig config, StageMetrics metrics, io.micrometer.core.instrument.Timer rowLatency) {
        this.rowLatency = rowLatency;
        this.results = resultsTopic == null ? null : new ResultRecords(resultsTopic);
        this.codec = codec;
        this.predictionsTopic = predictionsTopic;
        this.folders = folders;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void handle(ConsumerRecord<byte[], byte[]> record, BlockEmitter out) throws IOException {
        if (!record.topic().equals(predictionsTopic)) {
            writeDeadLetters(record, out);
            return;
        }
        BlockIntake.Block<PredictionRow> block = BlockIntake.decodeOrDeadLetter(STAGE, codec, PredictionRow.SCHEMA,
                record, out);
        if (block != null) {
            RollingParquetWriter<PredictionRow> file = predictions(block.jobId(), record);
            long now = System.currentTimeMillis();
            for (PredictionRow row : block.rows()) {
                file.write(row);
                if (row.readAtMillis() > 0) {
                    rowLatency.record(now - row.readAtMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                if (results != null) { // in the worker's transaction: on the topic once, as in the files
                    out.send(results.of(block.jobId(), row, record, now));
                }
            }
            out.countOut(block.jobId(), block.rows().size());
        }
    }

    /**
     * Writes a dead-letter block to its job's file, and each letter as an error result. One that
     * cannot be taken (bad headers, not a block) is not sent back to the topic it came from: it is
     * recorded in the file as one row.
     */
    private void writeDeadLetters(ConsumerRecord<byte[], byte[]> record, BlockEmitter out) throws IOException {
        String jobId = BlockIntake.jobIdOf(record);
        RollingParquetWriter<DeadLetterRow> file = deadLetters(jobId, record);
        List<DeadLetterRow> letters;
        try {
            letters = BlockIntake.decode(codec, DeadLetterRow.SCHEMA, record);
        } catch (BlockFormatException e) {
            letters = List.of(BlockIntake.unreadableBlock(STAGE, record, e));
        }
        long now = System.currentTimeMillis();
        for (DeadLetterRow row : letters) {
            file.write(row);
            if (results != null) { // in the worker's transaction, as the predictions' results
                out.send(results.of(jobId, row, record, now));
            }
        }
    }

    private RollingParquetWriter<PredictionRow> predictions(String jobId, ConsumerRecord<byte[], byte[]> record) {
        return file(jobId, record, PREDICTIONS, new PredictionFormat());
    }

    private RollingParquetWriter<DeadLetterRow> deadLetters(String jobId, ConsumerRecord<byte[], byte[]> record) {
        return file(jobId, record, DEAD_LETTERS, new DeadLetterFormat());
    }

    /** The open file of the record's job and partition, started at the record's offset if there is none. */
    @SuppressWarnings("unchecked") // one input topic, hence one row type, per partition
    private <R> RollingParquetWriter<R> file(String jobId, ConsumerRecord<byte[], byte[]> record, String kind,
            RowFormat<R> format) {
        return (RollingParquetWriter<R>) open.computeIfAbsent(key(jobId, record),
                k -> new RollingParquetWriter<>(folders.of(jobId), prefix(kind, record), format,
                        config.rollRows(), config.rollBytes()));
    }

    private static JobPartition key(String jobId, ConsumerRecord<byte[], byte[]> record) {
        return new JobPartition(jobId, new TopicPartition(record.topic(), record.partition()));
    }

    private static String prefix(String kind, ConsumerRecord<byte[], byte[]> record) {
        return PartitionFiles.prefix(kind, record.partition(), record.offset());
    }

    @Override
    public void flush() throws IOException {
        for (Map.Entry<JobPartition, RollingParquetWriter<?>> entry : open.entrySet()) {
            List<CompletedFile> files = entry.getValue().close();
            if (entry.getKey().partition().topic().equals(predictionsTopic)) {
                metrics.rowsOut((int) files.stream().mapToLong(CompletedFile::rows).sum());
            }
        }
        open.clear();
    }

    /**
     * Deletes what earlier owners of these partitions published past the committed offsets (a crash
     * between publishing files and committing): those records are read again from there.
     */
    @Override
    public void onAssigned(Map<TopicPartition, Long> committedOffsets) throws IOException {
        for (Map.Entry<TopicPartition, Long> entry : committedOffsets.entrySet()) {
            TopicPartition partition = entry.getKey();
            String kind = partition.topic().equals(predictionsTopic) ? PREDICTIONS : DEAD_LETTERS;
            for (Path file : PartitionFiles.uncommitted(config.outputDir(), kind, partition.partition(),
                    entry.getValue())) {
                LOG.infof("Deleting %s: written past the committed offset %s of %s, its rows are written again",
                        file, entry.getValue(), partition);
                Files.deleteIfExists(file);
            }
        }
    }

    /** Rows since the last flush will be read again: their unpublished files go. */
    @Override
    public void discard() throws IOException {
        close();
    }

    @Override
    public void close() throws IOException {
        // Files still open hold rows whose offsets are not committed: discard them, they will be redelivered.
        for (RollingParquetWriter<?> file : open.values()) {
            file.abort();
        }
        open.clear();
    }
}
