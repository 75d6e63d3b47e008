package dev.kbi.writer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The writer's file names, which make its output exactly-once: every file holds rows of one input
 * partition only, from records at or after the offset in its name, and never spans a commit (files
 * are finished before the offsets are). So the files of a partition whose offset is at or above the
 * group's committed offset hold exactly the rows no commit covers; deleting them when the partition
 * is assigned, before its records are read again, leaves every row once.
 *
 * <p>Name: {@code <kind>-p<partition>-o<first offset>-<n>.parquet} (the rolling writer adds
 * {@code -<n>}), and {@code .<that>.inprogress} while being written.
 */
final class PartitionFiles {

    private static final Pattern NAME = Pattern.compile("^\\.?([a-z-]+)-p(\\d+)-o(\\d+)-\\d+\\.parquet(\\.inprogress)?$");

    /** A file name's parts. */
    record Name(String kind, int partition, long firstOffset) {
    }

    private PartitionFiles() {
    }

    /** The file prefix of rows of {@code kind} from {@code partition}, starting at {@code firstOffset}. */
    static String prefix(String kind, int partition, long firstOffset) {
        return kind + "-p" + partition + "-o" + firstOffset;
    }

    static Optional<Name> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Name(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3))));
    }

    /**
     * Files (finished or not) in the job folders under {@code outputDir} of {@code kind} from
     * {@code partition} at or after {@code committed}; every one of them when nothing was committed.
     */
    static List<Path> uncommitted(Path outputDir, String kind, int partition, Long committed) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(outputDir)) {
            return found;
        }
        try (Stream<Path> jobs = Files.list(outputDir)) {
            for (Path job : jobs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(job)) {
                    files.filter(f -> parse(f.getFileName().toString())
                            .filter(n -> n.kind().equals(kind) && n.partition() == partition
                                    && (committed == null || n.firstOffset() >= committed))
                            .isPresent()).forEach(found::add);
                }
            }
        }
        return found;
    }
}
