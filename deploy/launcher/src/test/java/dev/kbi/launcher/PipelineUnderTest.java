package dev.kbi.launcher;

import dev.kbi.common.lag.PipelineBacklog;
import dev.kbi.localkafka.LocalKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A local pipeline held open across jobs, for fault tests: a real broker and the packaged services,
 * each known by its instance id, any of which can be killed with SIGKILL and started again with the
 * configuration it had; the broker can be stopped and started again on the same data and port.
 */
final class PipelineUnderTest implements AutoCloseable {

    /** Counter of the rows a stage has finished (cumulative over the process's jobs). */
    private static final String ROWS_OUT = StageProgress.ROWS_OUT;

    private final LaunchOptions options;
    private final Path logs;
    private final ServiceLauncher launcher;
    private LocalKafkaBroker broker;
    /** How each instance was started, so that a restart gives it the same configuration. */
    private final Map<String, Launch> launches = new LinkedHashMap<>();
    /** The instances running now (a killed one leaves until it is restarted). */
    private final Map<String, ServiceProcess> running = new LinkedHashMap<>();

    private record Launch(String service, Map<String, String> settings, List<String> jvmOptions) {
    }

    private PipelineUnderTest(LaunchOptions options, LocalKafkaBroker broker, Path logs) throws IOException {
        this.options = options;
        this.broker = broker;
        this.logs = logs;
        this.launcher = new ServiceLauncher(options, LocalPipeline.ModelShape.read(options.modelDir()),
                broker.bootstrapServers(), logs);
    }

    /** A fresh broker with the pipeline's topics, and the writer, inference and preprocessor, ready. */
    static PipelineUnderTest start(LaunchOptions options) throws Exception {
        Path logs = options.workDir().resolve("logs");
        Files.createDirectories(logs);
        LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.of(options.workDir().resolve("kafka"))
                .withLogFile(logs.resolve("kafka.log")).withMessageMaxBytes(LocalPipeline.MAX_MESSAGE_BYTES));
        PipelineUnderTest pipeline = new PipelineUnderTest(options, broker, logs);
        try {
            new PipelineTopics(options).create(broker.bootstrapServers());
            for (String service : List.of("writer", "inference", "preprocessor")) {
                pipeline.start(service, "local-" + service, Map.of(), List.of());
            }
            return pipeline;
        } catch (Exception | Error e) {
            pipeline.close();
            throw e;
        }
    }

    /** Starts an instance and waits until it is ready (a reader starts reading its job at once). */
    ServiceProcess start(String service, String instanceId, Map<String, String> settings, List<String> jvmOptions)
            throws Exception {
        launches.put(instanceId, new Launch(service, Map.copyOf(settings), List.copyOf(jvmOptions)));
        ServiceProcess process = launcher.start(service, instanceId, settings, jvmOptions);
        running.put(instanceId, process);
        LocalPipeline.awaitReady(List.of(process));
        return process;
    }

    /** SIGKILL: the instance gets no chance to finish, abort or leave anything. */
    void kill(String instanceId) throws InterruptedException {
        ServiceProcess process = running.remove(instanceId);
        if (process == null) {
            throw new IllegalStateException(instanceId + " is not running");
        }
        process.kill();
    }

    /** Starts a killed or stopped instance again, with the same instance id and configuration. */
    ServiceProcess restart(String instanceId) throws Exception {
        Launch launch = launches.get(instanceId);
        return start(launch.service(), instanceId, launch.settings(), launch.jvmOptions());
    }

    /** Stops an instance with SIGTERM (a clean shutdown) and forgets it. */
    void stop(String instanceId) throws InterruptedException {
        ServiceProcess process = running.remove(instanceId);
        launches.remove(instanceId);
        if (process != null) {
            process.close();
        }
    }

    /** Whether the instance is running (neither killed nor stopped). */
    boolean isRunning(String instanceId) {
        return running.containsKey(instanceId);
    }

    /**
     * Stops the broker (controlled shutdown), keeps it down for {@code downtime}, and starts it again on
     * the same data dir and port.
     */
    void restartBroker(Duration downtime) throws IOException, InterruptedException {
        broker = broker.restart(downtime);
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    Path logs() {
        return logs;
    }

    /** Rows the instance's stage has finished since it started; 0 while it does not answer. */
    double rowsOut(String instanceId) {
        ServiceProcess process = running.get(instanceId);
        return process.metric(ROWS_OUT, launches.get(instanceId).service()).orElse(0);
    }

    /** Waits until the instance has finished at least {@code rows} rows; fails when any instance dies. */
    void awaitRowsOut(String instanceId, double rows, Duration timeout) throws InterruptedException {
        await(() -> rowsOut(instanceId) >= rows, timeout, instanceId + " to finish " + rows + " rows");
    }

    /** Waits for the job's {@code _SUCCESS} manifest; returns the job's output folder. */
    Path awaitSuccess(String jobId, Duration timeout) throws InterruptedException {
        Path jobDir = options.outputDir().resolve(jobId);
        await(() -> Files.exists(jobDir.resolve("_SUCCESS")), timeout, "_SUCCESS of job " + jobId);
        return jobDir;
    }

    /**
     * Waits until no block is left between the reader and the writer (every stage's group has
     * committed all its input), so that nothing more can reach the output after this.
     */
    void awaitDrained(Duration timeout) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            PipelineBacklog backlog = new PipelineBacklog(admin, List.of(
                    new PipelineBacklog.StageInput("kbi-preprocessor", "kbi.images"),
                    new PipelineBacklog.StageInput("kbi-inference", "kbi.tensors"),
                    new PipelineBacklog.StageInput("kbi-writer", "kbi.predictions")));
            await(() -> backlog.blocksInFlight() == 0, timeout, "the pipeline to drain");
        }
    }

    private void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            List<ServiceProcess> processes = new ArrayList<>(running.values());
            LocalPipeline.requireAlive(processes);
            LocalPipeline.requireLive(processes);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Waited " + timeout + " for " + what + "; service logs in " + logs);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ServiceProcess> processes = new ArrayList<>(running.values());
        running.clear();
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        broker.close();
    }
}
