package dev.kbi.writer;

import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What this writer process has durably written per job, and the jobs' announced totals. When a
 * job's rows written plus rows dead-lettered reach its total, the ledger writes the job's
 * {@code _SUCCESS} manifest: completion is decided from counts, never from a timeout.
 *
 * <p>Shared by all writer workers of the process (thread-safe). With several writer instances
 * each would see only its share: run one writer instance per job until job tracking moves to the
 * job-status topic.
 */
public final class JobLedger {

    private static final Logger LOG = Logger.getLogger(JobLedger.class);

    private final Path outputDir;
    private final Map<String, JobState> jobs = new HashMap<>();

    public JobLedger(Path outputDir) {
        this.outputDir = outputDir;
    }

    /** The folder a job's files go to. */
    public Path jobDir(String jobId) {
        return outputDir.resolve(jobId);
    }

    /** Records a job's announced total (from the jobs topic). */
    public synchronized void announced(JobAnnouncement announcement) {
        state(announcement.jobId()).announcement = announcement;
        completeIfDone(announcement.jobId());
    }

    /** Records files that were closed and renamed into place. */
    public synchronized void written(String jobId, List<Path> files, long rows, List<Path> deadLetterFiles,
            long deadLetters) {
        JobState state = state(jobId);
        files.forEach(f -> state.files.add(f.getFileName().toString()));
        deadLetterFiles.forEach(f -> state.deadLetterFiles.add(f.getFileName().toString()));
        state.rowsWritten += rows;
        state.rowsDeadLettered += deadLetters;
        completeIfDone(jobId);
    }

    /** True once the job's manifest has been written by this process. */
    public synchronized boolean isComplete(String jobId) {
        JobState state = jobs.get(jobId);
        return state != null && state.complete;
    }

    private JobState state(String jobId) {
        return jobs.computeIfAbsent(jobId, id -> new JobState());
    }

    private void completeIfDone(String jobId) {
        JobState state = jobs.get(jobId);
        JobAnnouncement job = state.announcement;
        if (state.complete || job == null || state.rowsWritten + state.rowsDeadLettered < job.totalRows()) {
            return;
        }
        if (state.rowsWritten + state.rowsDeadLettered > job.totalRows()) {
            LOG.warnf("Job %s: %d rows written + %d dead-lettered exceed the %d announced: some blocks were "
                    + "delivered twice (at-least-once)", jobId, state.rowsWritten, state.rowsDeadLettered,
                    job.totalRows());
        }
        JobManifest manifest = new JobManifest(jobId, job.input(), job.totalRows(), state.rowsWritten,
                state.rowsDeadLettered, List.copyOf(state.files), List.copyOf(state.deadLetterFiles),
                job.announcedAtMillis(), System.currentTimeMillis());
        writeManifest(manifest);
        state.complete = true;
        LOG.infof("Job %s complete: %d rows written, %d dead-lettered, %d files", jobId, state.rowsWritten,
                state.rowsDeadLettered, state.files.size());
    }

    private void writeManifest(JobManifest manifest) {
        Path dir = jobDir(manifest.jobId());
        try {
            Files.createDirectories(dir);
            Path temp = dir.resolve("." + JobManifest.FILE_NAME + ".inprogress");
            Files.write(temp, JobJson.write(manifest));
            Files.move(temp, dir.resolve(JobManifest.FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the manifest of job " + manifest.jobId() + " in " + dir, e);
        }
    }

    private static final class JobState {
        JobAnnouncement announcement;
        long rowsWritten;
        long rowsDeadLettered;
        final List<String> files = new ArrayList<>();
        final List<String> deadLetterFiles = new ArrayList<>();
        boolean complete;
    }
}
