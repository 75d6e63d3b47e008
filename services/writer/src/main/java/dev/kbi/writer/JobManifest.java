package dev.kbi.writer;

import dev.kbi.common.job.JobAnnouncement;
import java.util.List;

/**
 * The manifest of a finished job ({@link JobManifests}): its status when it turned terminal, and its
 * files then. {@code _SUCCESS} when the job SUCCEEDED, {@code _FAILED} (with the reason) when it FAILED,
 * {@code _CANCELLED} when it was cancelled (the rows read before are all written or dead-lettered).
 *
 * @param completedAtMillis when the job turned terminal (the status's {@code finishedAtMillis})
 * @param skippedFiles files of the input left out by extension (no rows of the job)
 */
public record JobManifest(String jobId, String state, String message, String input, long totalRows,
        long rowsWritten, long rowsDeadLettered, List<String> files, List<String> deadLetterFiles,
        Long announcedAtMillis, Long completedAtMillis, JobAnnouncement.SkippedFiles skippedFiles) {

    public static final String FILE_NAME = "_SUCCESS";
    public static final String FAILED_FILE_NAME = "_FAILED";
    public static final String CANCELLED_FILE_NAME = "_CANCELLED";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";

    /** The manifest's file name for its state. */
    public String fileName() {
        return switch (state) {
            case FAILED -> FAILED_FILE_NAME;
            case CANCELLED -> CANCELLED_FILE_NAME;
            default -> FILE_NAME;
        };
    }
}
