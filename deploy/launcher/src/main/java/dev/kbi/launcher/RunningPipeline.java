package dev.kbi.launcher;

import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.lag.PipelineBacklog;
import dev.kbi.localkafka.LocalKafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * A local pipeline held open across jobs, as it runs in production: a fresh KRaft broker with the
 * pipeline's topics, and the long-running services (writer, inference, preprocessor, and the reader
 * that serves the input topic and takes jobs over HTTP), each in its own JVM from its packaged jar. A
 * job of files is submitted to that reader ({@link #submit(String, Path)}), or a job is produced to
 * the images topic by another system ({@link #submit(String, Path, ExternalInput)}); jobs are awaited
 * one at a time for their summary.
 *
 * <p>Every instance is known by its instance id ({@code local-<service>} for the first instance of a
 * service; tests start more, such as a reader of one job), and can be stopped, killed with SIGKILL and
 * started again with the configuration it had; the broker can be restarted on the same data and port.
 * The fault tests use those; {@link LocalPipeline} runs one job and the benchmarks run several.
 */
public final class RunningPipeline implements AutoCloseable {

    /** How long the job status may trail the manifest (the writer's last event commits after its files). */
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /** Restarts of exited services one job may take before it fails (a service that keeps dying has a bug). */
    static final int MAX_RESTARTS_PER_JOB = 3;
    /** The long-running reader: the input topic's consumer, and where jobs of files are submitted. */
    static final String READER_INSTANCE = "local-" + Pipeline.READER;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final LaunchOptions options;
    private final Pipeline pipeline;
    private final PrintStream out;
    /** The progress of the job being awaited, while one is; messages go above it. */
    private volatile ProgressDisplay display;
    private final Path logs;
    private final ServiceLauncher launcher;
    private LocalKafkaBroker broker;
    // Synchronized: a sampler may list the instances from another thread while jobs come and go.
    /** How each instance was started, so that a restart gives it the same configuration. */
    private final Map<String, Launch> launches = Collections.synchronizedMap(new LinkedHashMap<>());
    /** The instances running now, in start order (a killed one leaves until it is restarted). */
    private final Map<String, ServiceProcess> running = Collections.synchronizedMap(new LinkedHashMap<>());

    /** {@code httpPort}: kept across restarts, so an instance answers where it did (as a pod behind a Service). */
    private record Launch(String service, Map<String, String> settings, List<String> jvmOptions, int httpPort) {
    }

    /**
     * A submitted job: its id, the input its labels come from, the reader that took it over HTTP (null
     * for external input), and the progress of the services it runs through, counted from its
     * submission (the long-running stages' counters span jobs, see {@link StageProgress}).
     */
    public static final class Job {
        private final String id;
        private final Path input;
        private ServiceProcess reader;
        private final List<ServiceProcess> services;
        private final StageProgress progress;
        private int restarts;

        private Job(String id, Path input, ServiceProcess reader, List<ServiceProcess> services, Pipeline pipeline) {
            this.id = id;
            this.input = input;
            this.reader = reader;
            this.services = new ArrayList<>(services);
            this.progress = new StageProgress(id, services, pipeline.names(), Pipeline.WRITER);
        }

        public String id() {
            return id;
        }

        /** The job's dead-lettered rows as its progress line shows them (from its status). */
        public long deadLetters() {
            return progress.deadLetters();
        }
    }

    private RunningPipeline(LaunchOptions options, BrokerAccess access, PrintStream out, LocalKafkaBroker broker,
            Path logs, LocalPipeline.ModelShape shape) {
        this.options = options;
        this.pipeline = options.pipeline();
        this.out = out;
        this.broker = broker;
        this.logs = logs;
        this.launcher = new ServiceLauncher(options, access, shape, broker.bootstrapServers(), logs);
    }

    /**
     * Starts a fresh broker in {@code <workDir>/kafka}, logs in {@code <workDir>/logs} (what an earlier run
     * left in either is deleted), creates the topics, and starts the long-running stages with
     * {@code options}' settings; returns once they are ready.
     */
    public static RunningPipeline start(LaunchOptions launchOptions, PrintStream out) throws Exception {
        return start(launchOptions, BrokerAccess.OPEN, out);
    }

    /** {@link #start(LaunchOptions, PrintStream)} on a broker with {@code access}' access control. */
    public static RunningPipeline start(LaunchOptions launchOptions, BrokerAccess access, PrintStream out)
            throws Exception {
        LaunchOptions options = launchOptions.withDefaultAllowedRoots();
        // Read first: a wrong --model fails before anything starts.
        LocalPipeline.ModelShape shape = LocalPipeline.ModelShape.read(options.modelDir());
        Path kafkaDir = options.workDir().resolve("kafka");
        LocalPipeline.deleteRecursively(kafkaDir);
        Path logs = options.workDir().resolve("logs");
        LocalPipeline.deleteRecursively(logs); // the last run's, not to be mistaken for this one's
        Files.createDirectories(logs);
        if (!options.quiet()) {
            out.println("Starting a local Kafka broker (logs in " + logs + ")");
        }
        LocalKafkaBroker broker = LocalKafkaBroker.start(access.configure(KafkaSecurity.brokerOptions(options,
                LocalKafkaBroker.Options.of(kafkaDir).withLogFile(logs.resolve("kafka.log"))
                        .withMessageMaxBytes(LocalPipeline.MAX_MESSAGE_BYTES))));
        RunningPipeline pipeline = new RunningPipeline(options, access, out, broker, logs, shape);
        try {
            new PipelineTopics(options).create(broker.bootstrapServers());
            try (Admin admin = Admin.create(KafkaSecurity.adminConfig(options, broker.bootstrapServers()))) {
                access.prepare(admin);
            }
            List<String> longRunning = longRunning(pipeline.pipeline);
            pipeline.say("Starting " + String.join(", ", longRunning));
            List<ServiceProcess> stages = new ArrayList<>();
            for (String service : longRunning) {
                stages.add(pipeline.launch(service, "local-" + service, Map.of(), List.of()));
            }
            awaitReady(stages);
            return pipeline;
        } catch (Exception | Error e) {
            pipeline.close();
            throw e;
        }
    }

    /**
     * Submits job {@code jobId} over {@code input} to the long-running reader ({@code POST /jobs}), which
     * reads it in its own JVM alongside the input topic; returns once the reader has taken it.
     *
     * @throws IllegalStateException when the reader refuses the job (the reason is its answer), for
     *     example an input outside its {@code reader.allowed-roots}
     */
    public Job submit(String jobId, Path input) throws IOException, InterruptedException {
        say("Submitting job " + jobId + " over " + input + " to the reader");
        ServiceProcess reader = instance(READER_INSTANCE);
        postJob(reader, jobId, input);
        List<ServiceProcess> services = longRunningStages();
        services.add(0, reader);
        return new Job(jobId, input, reader, services, pipeline);
    }

    private static void postJob(ServiceProcess reader, String jobId, Path input) throws IOException,
            InterruptedException {
        String request = JSON.createObjectNode().put("input", input.toAbsolutePath().toString()).put("jobId", jobId)
                .toString();
        java.net.http.HttpResponse<String> answer = reader.postJson("/jobs", request);
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("The reader refused job " + jobId + " (HTTP " + answer.statusCode() + "): "
                    + answer.body());
        }
    }

    /**
     * Runs {@code externalInput}, another system producing job {@code jobId} straight to the images topic;
     * {@code labels} is where the job's {@code labels.csv} is, if anywhere. Returns once it has produced.
     */
    public Job submit(String jobId, Path labels, ExternalInput externalInput) throws Exception {
        say("Producing job " + jobId + " straight to the images topic");
        Job job = new Job(jobId, labels, null, longRunningStages(), pipeline);
        externalInput.produce(broker.bootstrapServers(), jobId);
        return job;
    }

    /**
     * Waits for the job's manifest, printing progress each second unless quiet, and returns its summary.
     * A service that exits meanwhile is restarted ({@link #restartExited}). Fails when one keeps exiting,
     * when the reader could not read the job, or after {@code timeout}, naming the logs.
     */
    public JobSummary await(Job job, Duration timeout) throws Exception {
        Path jobDir = options.outputDir().resolve(job.id);
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextFrame = 0;
        Path manifest;
        try (ProgressDisplay display = options.quiet() ? null : ProgressDisplay.on(out)) {
            this.display = display;
            while ((manifest = JobSummary.manifest(jobDir)) == null) {
                restartExited(job);
                requireNotFailedReading(job);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Job " + job.id + " did not complete within " + timeout
                            + "; see the service logs in " + logs);
                }
                job.progress.poll();
                if (display != null && System.nanoTime() >= nextFrame) {
                    display.show(job.progress.frame());
                    nextFrame = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
                Thread.sleep(200);
            }
            // The manifest is written as the status turns terminal, a moment before that status is published.
            String status = JobStatusQuery.await(writer(), job.id, STATUS_TIMEOUT);
            job.progress.accept(status);
            if (display != null) {
                display.show(job.progress.frame());
            }
            String stats = writer().getOk("/jobs/" + job.id + "/stats").orElse(null);
            return JobSummary.read(manifest, job.input, job.progress, status, stats);
        } finally {
            this.display = null;
        }
    }

    /**
     * Supervises the job's services as an orchestrator would: one that has exited (a crash, a
     * {@code kill -9}, or its own exit after its stage failed, see {@code kbi.stage.exit-after-failure})
     * is started again with the same instance id, configuration and port, at most
     * {@value #MAX_RESTARTS_PER_JOB} times per job, each said on the output. The pipeline's exactly-once
     * stages make a restart safe: the new process takes over the same group membership and transactions.
     * Instances a caller stopped or killed through this class are the caller's to restart.
     */
    private void restartExited(Job job) throws Exception {
        for (ServiceProcess process : List.copyOf(job.services)) {
            String instance = instanceOf(process);
            if (process.isAlive() || instance == null) {
                continue;
            }
            if (job.restarts >= MAX_RESTARTS_PER_JOB) {
                requireAlive(List.of(process)); // fails, with the end of its log
            }
            job.restarts++;
            say(String.format("%s exited (status %d); restarting it (restart %d of at most %d for this job); its log: %s",
                    instance, process.exitStatus(), job.restarts, MAX_RESTARTS_PER_JOB, process.logFile()));
            ServiceProcess restarted = restart(instance);
            job.services.replaceAll(s -> s == process ? restarted : s);
            job.progress.replace(process, restarted);
            if (process == job.reader) {
                // The jobs a reader took live in its memory: submitted again, it resumes after what it committed.
                job.reader = restarted;
                postJob(restarted, job.id, job.input);
            }
        }
    }

    /** The instance id a running (or crashed, not yet restarted) process was started as; null if none. */
    private String instanceOf(ServiceProcess process) {
        synchronized (running) {
            return running.entrySet().stream().filter(e -> e.getValue() == process).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
        }
    }

    /** Fails with the reader's reason when it could not read the job (an unreadable manifest, say). */
    private static void requireNotFailedReading(Job job) {
        if (job.reader == null) {
            return;
        }
        job.reader.getOk("/jobs/" + job.id).ifPresent(body -> {
            if ("FAILED".equals(JobStatusQuery.field(body, "state"))) {
                throw new IllegalStateException("The reader could not read job " + job.id + ": "
                        + JobStatusQuery.field(body, "error"));
            }
        });
    }

    /** The first writer instance, which answers for the jobs' status ({@code GET /jobs/{id}}). */
    ServiceProcess writer() {
        String instance = "local-" + Pipeline.WRITER;
        ServiceProcess writer = running.get(instance);
        if (writer == null) {
            throw new IllegalStateException("The writer (" + instance + "), which answers for the jobs' status, is "
                    + "not running");
        }
        return writer;
    }

    /** A running instance ({@code local-reader}, {@code local-writer}...). */
    ServiceProcess instance(String instanceId) {
        ServiceProcess process = running.get(instanceId);
        if (process == null) {
            throw new IllegalStateException(instanceId + " is not running");
        }
        return process;
    }

    /** Fails, naming the service and its log, when a running instance has exited or reports a failure. */
    void requireHealthy() {
        List<ServiceProcess> processes = runningNow();
        requireAlive(processes);
        requireLive(processes);
    }

    /** The broker's {@code host:port}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Each running instance's Prometheus endpoint ({@code /q/metrics}), by instance id. */
    public Map<String, URI> metricsEndpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        synchronized (running) {
            running.forEach((instance, process) -> endpoints.put(instance, process.uri("/q/metrics")));
        }
        return endpoints;
    }

    /** The service an instance runs ({@code reader}, {@code preprocessor}, ...), or null when unknown. */
    public String serviceOf(String instanceId) {
        Launch launch = launches.get(instanceId);
        return launch == null ? null : launch.service();
    }

    Path logs() {
        return logs;
    }

    /** Starts an instance and waits until it is ready (a reader starts reading its job at once). */
    ServiceProcess start(String service, String instanceId, Map<String, String> settings, List<String> jvmOptions)
            throws Exception {
        return start(new Launch(service, Map.copyOf(settings), List.copyOf(jvmOptions), 0), instanceId);
    }

    private ServiceProcess start(Launch launch, String instanceId) throws Exception {
        ServiceProcess process = launch(launch, instanceId);
        awaitReady(List.of(process));
        return process;
    }

    /** Starts an instance without waiting for it. */
    private ServiceProcess launch(String service, String instanceId, Map<String, String> settings,
            List<String> jvmOptions) throws IOException {
        return launch(new Launch(service, Map.copyOf(settings), List.copyOf(jvmOptions), 0), instanceId);
    }

    private ServiceProcess launch(Launch launch, String instanceId) throws IOException {
        ServiceProcess process = launcher.start(launch.service(), instanceId, launch.settings(), launch.jvmOptions(),
                launch.httpPort());
        launches.put(instanceId, new Launch(launch.service(), launch.settings(), launch.jvmOptions(),
                process.httpPort()));
        running.put(instanceId, process);
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

    /** Starts a killed instance again, with the same instance id, configuration and HTTP port. */
    ServiceProcess restart(String instanceId) throws Exception {
        return start(launches.get(instanceId), instanceId);
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

    /** Rows the instance's stage has finished since it started; 0 while it does not answer. */
    double rowsOut(String instanceId) {
        ServiceProcess process = running.get(instanceId);
        return process.metric(StageProgress.ROWS_OUT, launches.get(instanceId).service()).orElse(0);
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
        try (Admin admin = Admin.create(KafkaSecurity.adminConfig(options, bootstrapServers()))) {
            PipelineBacklog backlog = PipelineBacklog.of(admin, pipeline.consumers());
            await(() -> backlog.blocksInFlight() == 0, timeout, "the pipeline to drain");
        }
    }

    private void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            List<ServiceProcess> processes = runningNow();
            requireAlive(processes);
            requireLive(processes);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Waited " + timeout + " for " + what + "; service logs in " + logs);
            }
            Thread.sleep(100);
        }
    }

    private List<ServiceProcess> runningNow() {
        synchronized (running) {
            return new ArrayList<>(running.values());
        }
    }

    /**
     * The first instance of each long-running service a job's blocks go through after the reader, as
     * running now (a job of files adds the reader that took it; an external producer replaces it).
     */
    private List<ServiceProcess> longRunningStages() {
        List<ServiceProcess> stages = new ArrayList<>();
        for (String service : longRunning(pipeline)) {
            if (service.equals(Pipeline.READER)) {
                continue;
            }
            ServiceProcess process = running.get("local-" + service);
            if (process == null) {
                throw new IllegalStateException("Stage " + service + " is not running");
            }
            stages.add(process);
        }
        return stages;
    }

    /**
     * The services that stay up across jobs (every one that runs a consuming stage: the reader's is
     * ingest, the input topic's consumer), in the order they start: consumers before producers.
     */
    static List<String> longRunning(Pipeline pipeline) {
        List<String> names = new ArrayList<>(pipeline.consumingServices());
        Collections.reverse(names);
        return names;
    }

    /** Waits until every service answers ready; fails at once when one exits. */
    static void awaitReady(List<ServiceProcess> services) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (ServiceProcess service : services) {
            while (!service.isReady()) {
                requireAlive(services);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Service " + service.name() + " not ready after " + READY_TIMEOUT
                            + ": " + service.health() + "; log: " + service.logFile());
                }
                Thread.sleep(200);
            }
        }
    }

    /** Fails, with the end of its log, when a service has exited. */
    static void requireAlive(List<ServiceProcess> services) {
        for (ServiceProcess service : services) {
            if (!service.isAlive()) {
                throw new IllegalStateException("Service " + service.name() + " exited; its log "
                        + service.logFile() + " ends with:\n" + dev.kbi.localkafka.Processes.tail(service.logFile()));
            }
        }
    }

    /** Fails when a service reports itself DOWN. */
    static void requireLive(List<ServiceProcess> services) {
        for (ServiceProcess service : services) {
            if (!service.isLive()) {
                throw new IllegalStateException("Service " + service.name() + " reports a failure: " + service.health()
                        + "; log: " + service.logFile());
            }
        }
    }

    private void say(String message) {
        ProgressDisplay progress = display;
        if (progress != null) {
            progress.message(message); // above the bars of the job being awaited
        } else if (!options.quiet()) {
            out.println(message);
        }
    }

    /** Stops every instance (readers first, then the stages in reverse start order) and the broker. */
    @Override
    public void close() throws InterruptedException {
        say("Stopping the services");
        List<ServiceProcess> processes = runningNow();
        running.clear();
        try {
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).close();
            }
        } finally {
            broker.close();
        }
    }
}
