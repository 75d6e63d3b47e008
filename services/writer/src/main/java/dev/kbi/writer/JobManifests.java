package dev.kbi.writer;

import dev.kbi.common.job.JobJson;
import dev.kbi.writer.status.JobStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes a job's manifest when its status turns terminal: {@code _SUCCESS} for SUCCEEDED,
 * {@code _FAILED} for FAILED, {@code _CANCELLED} for CANCELLED, with the status's counts and message and the job's files at that
 * moment. The job status (summed from the stages' committed events) is the one ledger of a job: the
 * manifest copies it, it never counts on its own. Written once: the first terminal status wins, and
 * later ones (rows still draining from a FAILED job, a replay after a restart) leave it as it is.
 * Thread-safe.
 */
public final class JobManifests {

    private static final Logger LOG = Logger.getLogger(JobManifests.class);

    private final JobFolders folders;

    public JobManifests(JobFolders folders) {
        this.folders = folders;
    }

    /** Writes the manifest of {@code status}'s job if the status is terminal and the job has none yet; true if it did. */
    public synchronized boolean write(JobStatus status) {
        if (!status.state().terminal() || isComplete(status.jobId())) {
            return false;
        }
        String jobId = status.jobId();
        List<String> files = names(folders.published(jobId, ParquetSinkHandler.PREDICTIONS));
        List<String> deadFiles = names(folders.published(jobId, ParquetSinkHandler.DEAD_LETTERS));
        write(new JobManifest(jobId, status.state().name(), status.message(), status.input(), status.totalRows(),
                status.rowsWritten(), status.rowsDeadLettered(), files, deadFiles, status.announcedAtMillis(),
                status.finishedAtMillis(), status.skippedFiles()));
        LOG.infof("Job %s %s: %d rows written, %d dead-lettered, %d files", jobId, status.state(),
                status.rowsWritten(), status.rowsDeadLettered(), files.size());
        return true;
    }

    /** True once the job's manifest is written ({@code _SUCCESS}, {@code _FAILED} or {@code _CANCELLED}). */
    public boolean isComplete(String jobId) {
        Path dir = folders.of(jobId);
        return Files.exists(dir.resolve(JobManifest.FILE_NAME)) || Files.exists(dir.resolve(JobManifest.FAILED_FILE_NAME))
                || Files.exists(dir.resolve(JobManifest.CANCELLED_FILE_NAME));
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(f -> f.getFileName().toString()).toList();
    }

    private void write(JobManifest manifest) {
        Path dir = folders.of(manifest.jobId());
        try {
            Files.createDirectories(dir);
            Path temp = dir.resolve("." + manifest.fileName() + ".inprogress");
            Files.write(temp, JobJson.write(manifest));
            Files.move(temp, dir.resolve(manifest.fileName()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the manifest of job " + manifest.jobId() + " in " + dir, e);
        }
    }
}
