package dev.kbi.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kbi.localkafka.LocalKafkaBroker;
import dev.kbi.localkafka.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

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
    /** Consumer threads per service when not configured (the services' application.properties). */
    private static final Map<String, Integer> DEFAULT_CONCURRENCY = Map.of("kbi.images", 1, "kbi.tensors", 2,
            "kbi.predictions", 1, "kbi.dead-letters", 1);
    private static final Path TCMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4");
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
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.of(kafkaDir)
                .withLogFile(logs.resolve("kafka.log")).withMessageMaxBytes(MAX_MESSAGE_BYTES))) {
            createTopics(broker.bootstrapServers());
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
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KBI_MAX_MESSAGE_BYTES", Integer.toString(MAX_MESSAGE_BYTES));
        env.put("PREPROCESSOR_CHANNELS", Integer.toString(shape.channels()));
        env.put("PREPROCESSOR_HEIGHT", Integer.toString(shape.height()));
        env.put("PREPROCESSOR_WIDTH", Integer.toString(shape.width()));
        env.put("INFERENCE_MODEL_DIR", options.modelDir().toString());
        env.put("WRITER_OUTPUT_DIR", options.outputDir().toString());
        env.put("DJL_CACHE_DIR", options.projectRoot().resolve(".work/djl-cache").toString());
        env.put("OPT_OUT_TRACKING", "true");
        env.putAll(options.serviceConfig());

        say("Starting writer, inference, preprocessor");
        services.add(start("writer", env, List.of("-Xmx512m"), logs));
        services.add(start("inference", inferenceEnv(env), List.of("-Xmx1g", "-Dai.djl.offline=true"), logs));
        services.add(start("preprocessor", env, List.of("-Xmx512m"), logs));
        awaitReady(services);

        StageProgress progress;
        if (externalInput == null) {
            Map<String, String> readerEnv = new HashMap<>(env);
            readerEnv.put("READER_INPUT", options.input().toString());
            readerEnv.put("READER_JOB_ID", options.jobId());
            say("Services ready; starting the reader on " + options.input() + " (job " + options.jobId() + ")");
            services.add(0, start("reader", readerEnv, List.of("-Xmx512m"), logs));
            progress = new StageProgress(services);
        } else {
            say("Services ready; producing job " + options.jobId() + " straight to the images topic");
            progress = new StageProgress(services);
            externalInput.produce(bootstrap, options.jobId());
        }
        Path manifest = options.outputDir().resolve(options.jobId()).resolve("_SUCCESS");
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long nextPrint = 0;
        while (!Files.exists(manifest)) {
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
        return JobSummary.read(manifest, options.input(), progress);
    }

    private Map<String, String> inferenceEnv(Map<String, String> env) {
        Map<String, String> inference = new HashMap<>(env);
        // libtorch allocates per batch; glibc malloc fragments under it (28 -> 1.3 img/s on ResNet-50).
        if (Files.exists(TCMALLOC)) {
            inference.put("LD_PRELOAD", TCMALLOC.toString());
        }
        return inference;
    }

    private ServiceProcess start(String name, Map<String, String> env, List<String> jvm, Path logs) throws IOException {
        List<String> jvmOptions = new ArrayList<>(jvm);
        jvmOptions.addAll(options.jvmOptions(name)); // later options win (-Xmx, -D)
        Map<String, String> serviceEnv = new HashMap<>(env);
        // A stable name (one instance per stage here): static group membership, and a restarted service
        // fences its predecessor's open transactions at once instead of after their timeout.
        serviceEnv.putIfAbsent("KBI_STAGE_INSTANCE_ID", "local-" + name);
        return ServiceProcess.start(options.projectRoot(), name, freePort(), serviceEnv, jvmOptions, logs);
    }

    private void awaitReady(List<ServiceProcess> services) throws InterruptedException {
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

    private static void requireAlive(List<ServiceProcess> services) {
        for (ServiceProcess service : services) {
            if (!service.isAlive()) {
                throw new IllegalStateException("Service " + service.name() + " exited; its log "
                        + service.logFile() + " ends with:\n" + dev.kbi.localkafka.Processes.tail(service.logFile()));
            }
        }
    }

    private static void requireLive(List<ServiceProcess> services) {
        for (ServiceProcess service : services) {
            if (!service.isLive()) {
                throw new IllegalStateException("Service " + service.name() + " reports a failure: " + service.health()
                        + "; log: " + service.logFile());
            }
        }
    }

    private void createTopics(String bootstrap) {
        List<NewTopic> topics = new ArrayList<>();
        Map<String, String> config = Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        for (String name : TOPICS) {
            topics.add(new NewTopic(name, partitionsFor(name), (short) 1).configs(config));
        }
        topics.add(new NewTopic(JOBS_TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        topics.add(new NewTopic(JOB_EVENTS_TOPIC, options.partitions(), (short) 1));
        topics.add(new NewTopic(JOB_STATUS_TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensureTopics(admin, topics);
        }
    }

    /**
     * Partitions of a data topic: one per consumer its stage may run here (one instance per stage:
     * the larger of {@code kbi.stage.concurrency} and {@code kbi.stage.max-concurrency}), and at least
     * {@code --partitions}, so a stage never has consumers that idle for want of a partition.
     */
    int partitionsFor(String topic) {
        Map<String, String> config = options.serviceConfig();
        int concurrency = Integer.parseInt(config.getOrDefault("KBI_STAGE_CONCURRENCY",
                Integer.toString(DEFAULT_CONCURRENCY.getOrDefault(topic, 1))));
        int max = Integer.parseInt(config.getOrDefault("KBI_STAGE_MAX_CONCURRENCY", "0"));
        return Math.max(options.partitions(), Math.max(concurrency, max));
    }

    private void say(String message) {
        if (!options.quiet()) {
            out.println(message);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
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
