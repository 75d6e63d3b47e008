package dev.kbi.writer;

import java.util.List;

/**
 * The manifest of a finished job ({@link JobManifests}): its status when it turned terminal, and its
 * files then. {@code _SUCCESS} when the job SUCCEEDED, {@code _FAILED} (with the reason) when it FAILED.
 *
 * @param completedAtMillis when the job turned terminal (the status's {@code finishedAtMillis})
 */
public record JobManifest(String jobId, String state, String message, String input, long totalRows,
        long rowsWritten, long rowsDeadLettered, List<String> files, List<String> deadLetterFiles,
        Long announcedAtMillis, Long completedAtMillis) {

    public static final String FILE_NAME = "_SUCCESS";
    public static final String FAILED_FILE_NAME = "_FAILED";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    /** The manifest's file name for its state. */
    public String fileName() {
        return FAILED.equals(state) ? FAILED_FILE_NAME : FILE_NAME;
    }
}
