package dev.kbi.writer;

import java.util.List;

/**
 * The {@code _SUCCESS} file of a completed job: its counts and files. Written once rows written plus
 * rows dead-lettered reach the total the reader announced.
 */
public record JobManifest(String jobId, String input, long totalRows, long rowsWritten, long rowsDeadLettered,
        List<String> files, List<String> deadLetterFiles, long announcedAtMillis, long completedAtMillis) {

    public static final String FILE_NAME = "_SUCCESS";
}
