package dev.kbi.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.localkafka.LocalKafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One local run: a fresh KRaft broker, the pipeline's topics, the four services in their own
 * JVMs, one job, and a clean shutdown. Completion is the writer's {@code _SUCCESS} manifest.
 */
public final class LocalPipeline {

    /** The topics' and broker's {@code max.message.bytes}; the services split blocks below it. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
    static final List<String> TOPICS = List.of("kbi.images", "kbi.tensors", "kbi.predictions", "kbi.dead-letters");
    static final String JOBS_TOPIC = "kbi.jobs";
    static final String JOB_EVENTS_TOPIC = "kbi.job-events";
    static final String JOB_STATUS_TOPIC = "kbi.job-status";
    /** How long the job status may trail the manifest (the writer's last event commits after its files). */
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final LaunchOptions options;
    private final PrintStream out;
    private final ExternalInput externalInput;

    public LocalPipeline(LaunchOptions options, PrintStream out) {
        this(options, out, null);
    }

    /**
     * A run whose input comes from {@code externalInput} (another system producing to the images
     * topic) instead of the reader service; {@code options.input()} then only locates labels.
     */
    public LocalPipeline(LaunchOptions options, PrintStream out, ExternalInput externalInput) {
        this.options = options;
        this.out = out;
        this.externalInput = externalInput;
    }

    /** Runs the job; returns its summary, or throws with the reason and where the logs are. */
    public JobSummary run() throws Exception {
        ModelShape shape = ModelShape.read(options.modelDir());
        Path kafkaDir = options.workDir().resolve("kafka");
        deleteRecursively(kafkaDir);
        Path logs = options.workDir().resolve("logs");
        Files.createDirectories(logs);
        say("Starting a local Kafka broker (logs in " + logs + ")");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(KafkaSecurity.brokerOptions(options,
                LocalKafkaBroker.Options.of(kafkaDir).withLogFile(logs.resolve("kafka.log"))
                        .withMessageMaxBytes(MAX_MESSAGE_BYTES)))) {
            new PipelineTopics(options).create(broker.bootstrapServers());
            List<ServiceProcess> services = new ArrayList<>();
            try {
                return runJob(broker.bootstrapServers(), shape, logs, services);
            } finally {
                say("Stopping the services");
                for (int i = services.size() - 1; i >= 0; i--) {
                    services.get(i).close();
                }
            }
        }
    }

    private JobSummary runJob(String bootstrap, ModelShape shape, Path logs, List<ServiceProcess> services)
            throws Exception {
        ServiceLauncher launcher = new ServiceLauncher(options, shape, bootstrap, logs);
        say("Starting writer, inference, preprocessor");
        services.add(launcher.start("writer"));
        services.add(launcher.start("inference"));
        services.add(launcher.start("preprocessor"));
        awaitReady(services);

        StageProgress progress;
        if (externalInput == null) {
            say("Services ready; starting the reader on " + options.input() + " (job " + options.jobId() + ")");
            services.add(0, launcher.start("reader"));
            progress = new StageProgress(services);
        } else {
            say("Services ready; producing job " + options.jobId() + " straight to the images topic");
            progress = new StageProgress(services);
            externalInput.produce(bootstrap, options.jobId());
        }
        Path jobDir = options.outputDir().resolve(options.jobId());
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long nextPrint = 0;
        Path manifest;
        while ((manifest = JobSummary.manifest(jobDir)) == null) {
            requireAlive(services);
            requireLive(services);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Job " + options.jobId() + " did not complete within "
                        + options.timeout() + "; see the service logs in " + logs);
            }
            progress.poll();
            if (!options.quiet() && System.nanoTime() >= nextPrint) {
                progress.print(out, -1);
                nextPrint = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            }
            Thread.sleep(200);
        }
        progress.poll();
        if (!options.quiet()) {
            progress.print(out, -1);
        }
        String status = JobStatusQuery.await(writer(services), options.jobId(), STATUS_TIMEOUT);
        return JobSummary.read(manifest, options.input(), progress, status);
    }

    private static ServiceProcess writer(List<ServiceProcess> services) {
        return services.stream().filter(s -> s.name().equals("writer")).findFirst().orElseThrow();
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
        if (!options.quiet()) {
            out.println(message);
        }
    }

    /** Deletes {@code dir} and everything under it (links themselves, not what they lead to); nothing if absent. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The model's input shape, from its model.json, so the preprocessor produces exactly that. */
    record ModelShape(int channels, int height, int width) {

        static ModelShape read(Path modelDir) throws IOException {
            Path descriptor = modelDir.resolve("model.json");
            if (!Files.isRegularFile(descriptor)) {
                throw new IllegalArgumentException("No model.json in " + modelDir + " (--model must name a model folder)");
            }
            JsonNode input = new ObjectMapper().readTree(descriptor.toFile()).path("input");
            return new ModelShape(input.path("channels").asInt(), input.path("height").asInt(),
                    input.path("width").asInt());
        }
    }
}
