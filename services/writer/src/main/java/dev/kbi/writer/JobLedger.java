package dev.kbi.writer;

import dev.kbi.common.job.JobAnnouncement;
import dev.kbi.common.job.JobIds;
import dev.kbi.common.job.JobJson;
import dev.kbi.writer.parquet.ParquetFooter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Decides when a job is complete from what is on disk: once the rows in its published prediction
 * files plus its dead-lettered rows reach the total the reader announced, it writes the job's
 * {@code _SUCCESS} manifest ({@code _FAILED} when the dead letters exceed the job's error limit). Completion comes from counts, never from a timeout; and since the
 * counts are read from the job's folder, they survive a writer restart and add up the work of
 * every writer instance sharing the output folder.
 *
 * <p>A file deleted because no commit covered it (see {@link PartitionFiles}) takes the job's
 * manifest with it; the job completes again once its rows are rewritten. Thread-safe.
 */
public final class JobLedger {

    private static final Logger LOG = Logger.getLogger(JobLedger.class);

    private final Path outputDir;
    private final Map<String, JobAnnouncement> announced = new HashMap<>();
    /** Rows per published file (files never change once published). */
    private final Map<Path, Long> rowsPerFile = new HashMap<>();

    public JobLedger(Path outputDir) {
        this.outputDir = outputDir;
    }

    /**
     * The folder a job's files go to: always a direct child of the output directory. Job ids are
     * checked where they enter ({@link dev.kbi.common.runtime.BlockIntake}, {@link JobAnnouncement});
     * this check is the last line, so that no path from outside is ever resolved unchecked.
     */
    public Path jobDir(String jobId) {
        Path dir = outputDir.resolve(JobIds.require(jobId)).normalize();
        if (!outputDir.normalize().equals(dir.getParent())) {
            throw new IllegalArgumentException("Job folder " + dir + " is not directly under " + outputDir);
        }
        return dir;
    }

    /** Records a job's announced total (from the jobs topic). */
    public synchronized void announced(JobAnnouncement announcement) {
        announced.put(announcement.jobId(), announcement);
        completeIfDone(announcement.jobId());
    }

    /** Files of the job were published: it may be complete now. */
    public synchronized void filesChanged(String jobId) {
        completeIfDone(jobId);
    }

    /** {@code file} is about to be deleted: its job is not finished any more. */
    public synchronized void removed(Path file) throws IOException {
        rowsPerFile.remove(file);
        Files.deleteIfExists(file.resolveSibling(JobManifest.FILE_NAME));
        Files.deleteIfExists(file.resolveSibling(JobManifest.FAILED_FILE_NAME));
    }

    /** True once the job's manifest is written ({@code _SUCCESS}, or {@code _FAILED} over its error limit). */
    public boolean isComplete(String jobId) {
        return Files.exists(jobDir(jobId).resolve(JobManifest.FILE_NAME))
                || Files.exists(jobDir(jobId).resolve(JobManifest.FAILED_FILE_NAME));
    }

    private void completeIfDone(String jobId) {
        JobAnnouncement job = announced.get(jobId);
        if (job == null || isComplete(jobId)) {
            return;
        }
        List<Path> files = published(jobId, ParquetSinkHandler.PREDICTIONS);
        List<Path> deadFiles = published(jobId, ParquetSinkHandler.DEAD_LETTERS);
        long written = rows(files);
        long dead = rows(deadFiles);
        if (written + dead < job.totalRows()) {
            return;
        }
        if (written + dead > job.totalRows()) {
            LOG.errorf("Job %s: %d rows written + %d dead-lettered exceed the %d announced: not marked complete",
                    jobId, written, dead, job.totalRows());
            return;
        }
        boolean failed = job.errorLimit().exceededBy(dead, job.totalRows());
        String message = failed ? job.errorLimit().tooManyErrors(dead, job.totalRows()) : null;
        writeManifest(new JobManifest(jobId, failed ? JobManifest.FAILED : JobManifest.SUCCEEDED, message,
                job.input(), job.totalRows(), written, dead, names(files), names(deadFiles), job.announcedAtMillis(),
                System.currentTimeMillis()));
        LOG.infof("Job %s %s: %d rows written, %d dead-lettered, %d files", jobId, failed ? "FAILED" : "complete",
                written, dead, files.size());
    }

    /** The job's published files of {@code kind}, by name. */
    private List<Path> published(String jobId, String kind) {
        Path dir = jobDir(jobId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> PartitionFiles.parse(f.getFileName().toString())
                            .filter(n -> n.kind().equals(kind)).isPresent())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + dir, e);
        }
    }

    private long rows(List<Path> files) {
        long rows = 0;
        for (Path file : files) {
            rows += rowsPerFile.computeIfAbsent(file, JobLedger::rowsInFooter);
        }
        return rows;
    }

    private static long rowsInFooter(Path file) {
        try {
            return ParquetFooter.rowCount(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the footer of " + file, e);
        }
    }

    private static List<String> names(List<Path> files) {
        List<String> names = new ArrayList<>();
        files.forEach(f -> names.add(f.getFileName().toString()));
        return names;
    }

    private void writeManifest(JobManifest manifest) {
        Path dir = jobDir(manifest.jobId());
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
