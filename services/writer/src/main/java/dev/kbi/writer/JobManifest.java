package dev.kbi.writer;

import java.util.List;

/**
 * The manifest of a finished job: its counts and files. Written once rows written plus rows
 * dead-lettered reach the total the reader announced: as {@code _SUCCESS} when the dead letters are
 * within the job's error limit, as {@code _FAILED} (with the reason) when they are not.
 */
public record JobManifest(String jobId, String state, String message, String input, long totalRows,
        long rowsWritten, long rowsDeadLettered, List<String> files, List<String> deadLetterFiles,
        long announcedAtMillis, long completedAtMillis) {

    public static final String FILE_NAME = "_SUCCESS";
    public static final String FAILED_FILE_NAME = "_FAILED";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    /** The manifest's file name for its state. */
    public String fileName() {
        return FAILED.equals(state) ? FAILED_FILE_NAME : FILE_NAME;
    }
}
