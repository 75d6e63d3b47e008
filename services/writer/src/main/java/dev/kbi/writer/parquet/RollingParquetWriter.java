package dev.kbi.writer.parquet;

import dev.kbi.common.parquet.NoHadoopCodecFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes rows to a sequence of local Parquet files {@code <dir>/<prefix>-<n>.parquet} ({@code n} zero-padded
 * to 5 digits, starting after the highest {@code n} already in {@code dir}), with no Hadoop on the classpath.
 * The directory is created, if missing, with the first file.
 *
 * <p>Each file is written under a hidden temporary name ({@code .<name>.inprogress}) in the same directory. A
 * file is finished (closed and fsynced, still hidden) when it reaches {@code maxRowsPerFile} rows or
 * {@code maxBytesPerFile} bytes (Parquet's data size: bytes written plus bytes buffered, uncompressed, so files
 * usually end smaller). {@link #roll()} finishes the file in progress, atomically renames every finished file to
 * its final name, fsyncs the directory and reports them. So a reader listing {@code *.parquet} never sees a
 * partial file, and the visible files are the reported ones. No file is created for zero rows.
 *
 * <p>Durability contract for callers (e.g. before committing Kafka offsets): a row is durable once a
 * {@link CompletedFile} that holds it has been returned by {@link #roll()} or {@link #close()}. If
 * {@link #write}, {@link #roll()} or {@link #close()} throws an {@link IOException}, every row written since the
 * last {@code roll()} is discarded (temporary files deleted), the writer is closed, and those rows must be
 * replayed. A failure part-way through the renames in {@code roll()} can leave some of those files visible,
 * so replay is at-least-once. An {@link IllegalArgumentException} for a bad row discards nothing.
 *
 * <p>Not thread-safe. The prefix must be unique among writers sharing a directory.
 *
 * @param <R> the row type
 */
public final class RollingParquetWriter<R> {

    private static final long MIN_ROW_GROUP_BYTES = 1 << 20;

    private final Path dir;
    private final String prefix;
    private final RowFormat<R> format;
    private final long maxRowsPerFile;
    private final long maxBytesPerFile;
    private final CompressionCodecName codec;
    private final Clock clock;
    /** Closed and fsynced, still under their temporary names: published by the next roll(). */
    private final List<InProgress> finished = new ArrayList<>();
    private long nextIndex = -1; // found on the first file, so an unused writer touches nothing
    private InProgress current;
    private boolean closed;

    /** ZSTD-compressed files, {@code written_at_ms} from the system clock. */
    public RollingParquetWriter(Path dir, String filePrefix, RowFormat<R> format, long maxRowsPerFile,
            long maxBytesPerFile) {
        this(dir, filePrefix, format, maxRowsPerFile, maxBytesPerFile, CompressionCodecName.ZSTD, Clock.systemUTC());
    }

    /**
     * @param codec ZSTD, SNAPPY or UNCOMPRESSED (see {@link NoHadoopCodecFactory})
     * @param clock source of {@code written_at_ms}
     */
    public RollingParquetWriter(Path dir, String filePrefix, RowFormat<R> format, long maxRowsPerFile,
            long maxBytesPerFile, CompressionCodecName codec, Clock clock) {
        if (maxRowsPerFile < 1 || maxBytesPerFile < 1) {
            throw new IllegalArgumentException("maxRowsPerFile and maxBytesPerFile must be positive");
        }
        if (filePrefix.isEmpty() || filePrefix.contains("/") || filePrefix.startsWith(".")) {
            throw new IllegalArgumentException("Bad file prefix: '" + filePrefix + "'");
        }
        this.dir = Objects.requireNonNull(dir);
        this.prefix = filePrefix;
        this.format = Objects.requireNonNull(format);
        this.maxRowsPerFile = maxRowsPerFile;
        this.maxBytesPerFile = maxBytesPerFile;
        this.codec = Objects.requireNonNull(codec);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Appends a row, finishing the current file when it reaches a limit.
     *
     * @throws IllegalArgumentException if the format cannot encode the row (nothing is written)
     * @throws IOException if a file could not be written (see the class comment: unreported rows are discarded)
     */
    public void write(R row) throws IOException {
        if (closed) {
            throw new IllegalStateException("Writer for " + dir.resolve(prefix) + " is closed");
        }
        format.validate(row);
        try {
            if (current == null) {
                current = open();
            }
            current.writer.write(row);
            current.rows++;
            if (current.rows >= maxRowsPerFile || current.writer.getDataSize() >= maxBytesPerFile) {
                finishCurrent();
            }
        } catch (IOException | RuntimeException e) {
            discard(e);
            throw e;
        }
    }

    /**
     * Finishes the file in progress, if it has rows, publishes every finished file under its final name and
     * returns them, oldest first (empty when nothing was written since the previous roll, or once closed).
     */
    public List<CompletedFile> roll() throws IOException {
        if (closed) {
            return List.of();
        }
        try {
            if (current != null) {
                finishCurrent();
            }
            if (finished.isEmpty()) {
                return List.of();
            }
            List<CompletedFile> published = new ArrayList<>();
            for (InProgress file : finished) {
                Files.move(file.temp, file.target, StandardCopyOption.ATOMIC_MOVE);
                published.add(new CompletedFile(file.target, file.rows));
            }
            finished.clear();
            // The renames must reach the disk before the files are reported durable.
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            }
            return published;
        } catch (IOException | RuntimeException e) {
            discard(e);
            throw e;
        }
    }

    /** {@link #roll()}, then refuses further writes. Calling it again returns an empty list. */
    public List<CompletedFile> close() throws IOException {
        List<CompletedFile> result = roll();
        closed = true;
        return result;
    }

    /**
     * Discards every row written since the last {@link #roll()} (deletes the temporary files) and refuses
     * further writes; for error paths, where those rows will be replayed. Published files stay.
     *
     * @throws IOException if a temporary file could not be closed or deleted
     */
    public void abort() throws IOException {
        IOException failure = new IOException("Could not clean up aborted files of " + dir.resolve(prefix));
        discard(failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /** Rows written since the last {@link #roll()}, not yet in a reported file. */
    public long pendingRows() {
        return finished.stream().mapToLong(f -> f.rows).sum() + (current == null ? 0 : current.rows);
    }

    private InProgress open() throws IOException {
        if (nextIndex < 0) {
            Files.createDirectories(dir);
            nextIndex = firstFreeIndex();
        }
        String name = String.format("%s-%05d.parquet", prefix, nextIndex++);
        Path temp = dir.resolve("." + name + ".inprogress");
        ParquetWriter<R> writer = new Builder<>(new LocalOutputFile(temp), format, clock)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new NoHadoopCodecFactory())
                .withCompressionCodec(codec)
                // A stale temp file of ours can only come from a crashed run: overwrite it.
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                // Row groups no larger than the file (Parquet's default is 128 MiB), but not tiny either: below
                // a few KiB Parquet flushes after every row and logs a memory warning each time.
                .withRowGroupSize(Math.max(MIN_ROW_GROUP_BYTES,
                        Math.min(maxBytesPerFile, ParquetWriter.DEFAULT_BLOCK_SIZE)))
                .build();
        return new InProgress(writer, temp, dir.resolve(name));
    }

    /** Writes the footer and fsyncs the file; it stays hidden until the next roll(). */
    private void finishCurrent() throws IOException {
        InProgress file = current;
        current = null;
        finished.add(file); // first, so that a failure below deletes its temporary file too
        file.writer.close();
        try (FileChannel channel = FileChannel.open(file.temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Closes the writer: drops the file in progress and the finished, unpublished ones. Problems doing so are
     * added to {@code cause} as suppressed exceptions, so the original failure is the one reported.
     */
    private void discard(Exception cause) {
        closed = true;
        if (current != null) {
            try {
                current.writer.close();
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
            finished.add(current);
            current = null;
        }
        for (InProgress file : finished) {
            try {
                Files.deleteIfExists(file.temp);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
        finished.clear();
    }

    private long firstFreeIndex() throws IOException {
        Pattern pattern = Pattern.compile(Pattern.quote(prefix) + "-(\\d+)\\.parquet");
        long next = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = pattern.matcher(file.getFileName().toString());
                if (m.matches()) {
                    next = Math.max(next, Long.parseLong(m.group(1)) + 1);
                }
            }
        }
        return next;
    }

    private final class InProgress {
        final ParquetWriter<R> writer;
        final Path temp;
        final Path target;
        long rows;

        InProgress(ParquetWriter<R> writer, Path temp, Path target) {
            this.writer = writer;
            this.temp = temp;
            this.target = target;
        }
    }

    /**
     * Builder for a {@link RowFormat}. Hadoop's {@code Configuration} appears here only because the
     * superclass declares it (javac needs hadoop-client-api); with a {@link PlainParquetConfiguration} it is
     * never loaded at run time.
     */
    private static final class Builder<R> extends ParquetWriter.Builder<R, Builder<R>> {
        private final RowFormat<R> format;
        private final Clock clock;

        Builder(OutputFile file, RowFormat<R> format, Clock clock) {
            super(file);
            this.format = format;
            this.clock = clock;
        }

        @Override
        protected Builder<R> self() {
            return this;
        }

        @Override
        protected WriteSupport<R> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport<>(format, clock);
        }

        @Deprecated
        @Override
        protected WriteSupport<R> getWriteSupport(Configuration conf) {
            return new RowWriteSupport<>(format, clock);
        }
    }

    /** Adapts a {@link RowFormat} to Parquet's write API. */
    private static final class RowWriteSupport<R> extends WriteSupport<R> {
        private final RowFormat<R> format;
        private final Clock clock;
        private RecordConsumer consumer;

        RowWriteSupport(RowFormat<R> format, Clock clock) {
            this.format = format;
            this.clock = clock;
        }

        @Override
        public String getName() {
            return format.name();
        }

        @Override
        public WriteContext init(ParquetConfiguration conf) {
            return new WriteContext(format.schema(), Map.of(RowFormat.METADATA_KEY, format.name()));
        }

        @Deprecated
        @Override
        public WriteContext init(Configuration conf) {
            return init((ParquetConfiguration) null);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(R row) {
            format.write(row, clock.millis(), consumer);
        }
    }
}
