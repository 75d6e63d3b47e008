package dev.kbi.writer;

import dev.kbi.common.job.JobIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The writer's output directory and the job folders in it. */
public final class JobFolders {

    private final Path outputDir;

    public JobFolders(Path outputDir) {
        this.outputDir = outputDir;
    }

    /**
     * The folder a job's files go to: always a direct child of the output directory. Job ids are
     * checked where they enter ({@link dev.kbi.common.runtime.BlockIntake},
     * {@link dev.kbi.common.job.JobAnnouncement}); this check is the last line, so that no path from
     * outside is ever resolved unchecked.
     */
    public Path of(String jobId) {
        Path dir = outputDir.resolve(JobIds.require(jobId)).normalize();
        if (!outputDir.normalize().equals(dir.getParent())) {
            throw new IllegalArgumentException("Job folder " + dir + " is not directly under " + outputDir);
        }
        return dir;
    }

    /** The job's published files of {@code kind} ({@code predictions}, {@code dead-letters}), by name. */
    List<Path> published(String jobId, String kind) {
        Path dir = of(jobId);
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
}
