package dev.kbi.launcher;

import dev.kbi.localkafka.KafkaLibs;
import java.nio.file.Path;

/**
 * {@code run-local.sh}: starts a local Kafka broker and the four services, runs one job over a
 * folder of images, prints progress and a summary, and shuts everything down. Exit code 0 when the
 * job completed.
 */
public final class LocalPipelineMain {

    private LocalPipelineMain() {
    }

    public static void main(String[] args) {
        Path cwd = Path.of("").toAbsolutePath();
        Path root = KafkaLibs.projectRoot(cwd).orElseThrow(
                () -> new IllegalStateException("Run from inside the project checkout (no mvnw above " + cwd + ")"));
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(root, args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            JobSummary summary = new LocalPipeline(options, System.out).run();
            summary.print(System.out);
            System.exit(summary.failed() ? 1 : 0);
        } catch (Exception e) {
            System.err.println("The job failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
