package dev.kbi.launcher;

import dev.kbi.localkafka.KafkaLibs;
import java.nio.file.Path;

/**
 * {@code run-local.sh}: starts a local Kafka broker and the four services, runs one job over a
 * folder of images, prints progress and a summary, and shuts everything down. Exit code 0 when the
 * job completed. With {@code --serve}, runs no job: keeps everything up for other systems to feed
 * ({@link LocalServer}) until Ctrl-C. With {@code --stats JOB}, prints a job's stats ({@link StatsCommand}).
 */
public final class LocalPipelineMain {

    private LocalPipelineMain() {
    }

    public static void main(String[] args) {
        Path cwd = Path.of("").toAbsolutePath();
        Path root = KafkaLibs.projectRoot(cwd).orElseThrow(
                () -> new IllegalStateException("Run from inside the project checkout (no mvnw above " + cwd + ")"));
        if (args.length > 0 && args[0].equals(StatsCommand.FLAG)) {
            System.exit(StatsCommand.run(args, System.out, System.err));
            return;
        }
        boolean serve = java.util.Arrays.asList(args).contains(LaunchOptions.SERVE);
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(root, java.util.Arrays.stream(args).filter(a -> !a.equals(LaunchOptions.SERVE))
                    .toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (serve) {
            try {
                new LocalServer(options, System.out).serve();
                return; // only once the JVM shuts down (Ctrl-C): it exits when the stop hook is done
            } catch (Exception e) {
                System.err.println("The pipeline failed: " + e.getMessage());
                System.exit(1);
            }
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
