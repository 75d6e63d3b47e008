package dev.kbi.writer;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.block.BlockFormatException;
import dev.kbi.common.rows.DeadLetterRow;
import dev.kbi.common.rows.PredictionRow;
import dev.kbi.common.runtime.BlockEmitter;
import dev.kbi.common.runtime.BlockHandler;
import dev.kbi.common.runtime.StageMetrics;
import dev.kbi.common.runtime.TransformHandler;
import dev.kbi.writer.parquet.CompletedFile;
import dev.kbi.writer.parquet.DeadLetterFormat;
import dev.kbi.writer.parquet.PredictionFormat;
import dev.kbi.writer.parquet.RollingParquetWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The writer's handler (one per worker): predictions and dead letters of each job go to that job's
 * folder as Parquet files. Files are only renamed into place in {@link #flush()}, which the worker
 * calls before committing offsets: a committed row is always in a finished file.
 */
final class ParquetSinkHandler implements BlockHandler {

    static final String STAGE = "writer";

    private final BlockCodec codec;
    private final String predictionsTopic;
    private final JobLedger ledger;
    private final WriterConfig config;
    private final StageMetrics metrics;
    /** Unique per handler, so workers and instances never write the same file name. */
    private final String writerId = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, OpenJob> open = new HashMap<>();
    private int flushes;

    ParquetSinkHandler(BlockCodec codec, String predictionsTopic, JobLedger ledger, WriterConfig config,
            StageMetrics metrics) {
        this.codec = codec;
        this.predictionsTopic = predictionsTopic;
        this.ledger = ledger;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void handle(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, BlockEmitter out)
            throws IOException {
        String jobId = TransformHandler.jobIdOf(record);
        OpenJob job = open.computeIfAbsent(jobId, OpenJob::new);
        if (record.topic().equals(predictionsTopic)) {
            try {
                for (PredictionRow row : codec.decode(PredictionRow.SCHEMA, record.value())) {
                    job.predictions().write(row);
                }
            } catch (BlockFormatException e) {
                out.deadLetter(jobId, TransformHandler.blockSeqOf(record), List.of(unreadable(record, e)));
            }
        } else {
            try {
                for (DeadLetterRow row : codec.decode(DeadLetterRow.SCHEMA, record.value())) {
                    job.deadLetters().write(row);
                }
            } catch (BlockFormatException e) {
                // Not sent back to the dead-letter topic this handler reads: recorded in the job's file instead.
                job.deadLetters().write(unreadable(record, e));
            }
        }
    }

    private static DeadLetterRow unreadable(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record,
            BlockFormatException e) {
        return new DeadLetterRow(TransformHandler.blockId(record), null, STAGE, e.getClass().getName(), e.getMessage(),
                System.currentTimeMillis(), null);
    }

    @Override
    public void flush() throws IOException {
        for (OpenJob job : open.values()) {
            List<CompletedFile> files = job.predictions == null ? List.of() : job.predictions.close();
            List<CompletedFile> deadFiles = job.deadLetters == null ? List.of() : job.deadLetters.close();
            long rows = files.stream().mapToLong(CompletedFile::rows).sum();
            long dead = deadFiles.stream().mapToLong(CompletedFile::rows).sum();
            metrics.rowsOut((int) rows);
            ledger.written(job.jobId, paths(files), rows, paths(deadFiles), dead);
        }
        open.clear();
        flushes++;
    }

    private static List<java.nio.file.Path> paths(List<CompletedFile> files) {
        List<java.nio.file.Path> paths = new ArrayList<>();
        files.forEach(f -> paths.add(f.path()));
        return paths;
    }

    /** Rows since the last flush will be read again: their unpublished files go. */
    @Override
    public void discard() throws IOException {
        close();
    }

    @Override
    public void close() throws IOException {
        // Files still open hold rows whose offsets are not committed: discard them, they will be redelivered.
        for (OpenJob job : open.values()) {
            if (job.predictions != null) {
                job.predictions.abort();
            }
            if (job.deadLetters != null) {
                job.deadLetters.abort();
            }
        }
        open.clear();
    }

    /** The files being written for one job since the last flush. */
    private final class OpenJob {
        final String jobId;
        RollingParquetWriter<PredictionRow> predictions;
        RollingParquetWriter<DeadLetterRow> deadLetters;

        OpenJob(String jobId) {
            this.jobId = jobId;
        }

        RollingParquetWriter<PredictionRow> predictions() {
            if (predictions == null) {
                predictions = new RollingParquetWriter<>(ledger.jobDir(jobId), prefix("predictions"),
                        new PredictionFormat(), config.rollRows(), config.rollBytes());
            }
            return predictions;
        }

        RollingParquetWriter<DeadLetterRow> deadLetters() {
            if (deadLetters == null) {
                deadLetters = new RollingParquetWriter<>(ledger.jobDir(jobId), prefix("dead-letters"),
                        new DeadLetterFormat(), config.rollRows(), config.rollBytes());
            }
            return deadLetters;
        }

        private String prefix(String kind) {
            return kind + "-" + writerId + "-" + flushes;
        }
    }
}
