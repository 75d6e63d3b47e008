package dev.kbi.writer.parquet;

import java.nio.file.Path;

/**
 * A finished, visible Parquet file written by {@link RollingParquetWriter}.
 *
 * @param path the file's final name ({@code <dir>/<prefix>-<n>.parquet})
 * @param rows how many rows it holds
 */
public record CompletedFile(Path path, long rows) {
}
