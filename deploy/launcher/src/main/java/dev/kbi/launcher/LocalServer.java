package dev.kbi.launcher;

import dev.kbi.common.pipeline.Pipeline;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code run-local.sh --serve}: the local pipeline held up for other systems, with no job of its
 * own. It prints where to produce, where to submit jobs over HTTP and where results and status
 * are, watches the services, and on Ctrl-C (SIGTERM, SIGINT) stops them and the broker cleanly
 * before the process exits. Jobs and file references are read under {@code --input} (its folder
 * for a manifest) unless {@code reader.allowed-roots} is set.
 */
final class LocalServer {

    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private final LaunchOptions options;
    private final PrintStream out;

    LocalServer(LaunchOptions options, PrintStream out) {
        this.options = options.withDefaultAllowedRoots();
        this.out = out;
    }

    /** Serves until the process is asked to stop; throws when a service fails meanwhile. */
    void serve() throws Exception {
        RunningPipeline pipeline = RunningPipeline.start(options, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stop = new Thread(() -> stop(pipeline, stopped), "kbi-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        printWhere(pipeline);
        try {
            while (stopped.getCount() > 0) {
                pipeline.requireHealthy();
                stopped.await(WATCH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IllegalStateException e) {
            if (Runtime.getRuntime().removeShutdownHook(stop)) { // not shutting down: a service failed
                stop(pipeline, stopped);
                throw e;
            }
        }
        stopped.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stop(RunningPipeline pipeline, CountDownLatch stopped) {
        try {
            pipeline.close();
            out.println("Stopped: services and broker are down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    private void printWhere(RunningPipeline pipeline) {
        Pipeline stages = options.pipeline();
        String bootstrap = pipeline.bootstrapServers();
        out.println("Serving; stop with Ctrl-C.");
        out.println("  broker (bootstrap.servers): " + bootstrap);
        out.println("  input topic:   " + stages.topics().input() + "  (raw images, JSON file references or Arrow "
                + "blocks; header kbi-job-id, announce the total on " + stages.topics().jobs() + ")");
        out.println("  results topic: " + stages.topics().results() + "  (read with isolation.level=read_committed)");
        out.println("  submit a job:  curl -X POST " + pipeline.instance(RunningPipeline.READER_INSTANCE).uri("/jobs")
                + " -H 'Content-Type: application/json' -d '{\"input\": \"" + options.input() + "\", \"jobId\": "
                + "\"my-job\"}'");
        out.println("                 (jobs and file references are read under "
                + options.serviceConfig().get(LaunchOptions.envName("reader.allowed-roots")) + ")");
        out.println("  job status:    " + pipeline.writer().uri("/jobs") + "/<job id>");
        out.println("  job stats:     " + pipeline.writer().uri("/jobs") + "/<job id>/stats  (as a table: ./run-local.sh "
                + StatsCommand.FLAG + " <job id> --writer " + pipeline.writer().uri("") + ")");
        out.println("  output:        " + options.outputDir() + "/<job id>/");
        out.println("  for example:   examples/kcat/send-images.sh " + bootstrap + " samples/fashion-mnist my-job");
    }
}
