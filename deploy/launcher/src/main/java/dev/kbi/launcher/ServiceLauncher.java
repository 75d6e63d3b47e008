package dev.kbi.launcher;

import dev.kbi.common.pipeline.Pipeline;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the pipeline's services, each in its own JVM, all with one configuration: the broker, the
 * model's input shape, the output folder and the user's settings. Starting a service again gives it
 * exactly the configuration it had (a restart after a crash), with a log file of its own.
 */
final class ServiceLauncher {

    private static final Path TCMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4");
    /** The launcher's JVM options per service; the user's come after them (later options win). */
    private static final Map<String, List<String>> DEFAULT_JVM = Map.of(Pipeline.READER, List.of("-Xmx512m"),
            Pipeline.PREPROCESSOR, List.of("-Xmx512m"), Pipeline.INFERENCE, List.of("-Xmx1g", "-Dai.djl.offline=true"),
            Pipeline.WRITER, List.of("-Xmx512m"));

    private final LaunchOptions options;
    private final BrokerAccess access;
    private final Map<String, String> env;
    private final Path logs;
    /** Starts so far per log name, so that a restart does not overwrite its predecessor's log. */
    private final Map<String, Integer> starts = new HashMap<>();

    ServiceLauncher(LaunchOptions options, BrokerAccess access, LocalPipeline.ModelShape shape, String bootstrap,
            Path logs) {
        this.options = options;
        this.access = access;
        this.logs = logs;
        this.env = pipelineEnv(options, shape, bootstrap);
    }

    /**
     * Starts {@code service} as instance {@code instanceId}. A restarted service keeps its instance id:
     * it then takes its predecessor's place in the group and fences its open transactions at once. A
     * second concurrent instance of a stage needs an id of its own.
     *
     * @param settings environment variables over the run's, e.g. another {@code READER_JOB_ID}
     * @param jvmOptions options after the launcher's and the user's, e.g. {@code -Dkafka.session.timeout.ms=10000}
     * @param httpPort the port to listen on, or 0 for a free one
     */
    ServiceProcess start(String service, String instanceId, Map<String, String> settings, List<String> jvmOptions,
            int httpPort) throws IOException {
        Map<String, String> serviceEnv = new HashMap<>(env);
        serviceEnv.putAll(serviceSpecificEnv(service));
        serviceEnv.putAll(access.serviceEnvironment(service));
        serviceEnv.putAll(settings);
        serviceEnv.putIfAbsent("KBI_STAGE_INSTANCE_ID", instanceId);
        List<String> jvm = new ArrayList<>(DEFAULT_JVM.getOrDefault(service, List.of()));
        jvm.addAll(options.jvmOptions(service));
        jvm.addAll(jvmOptions);
        return ServiceProcess.start(options.projectRoot(), service, httpPort == 0 ? freePort() : httpPort, serviceEnv,
                jvm, logs,
                logName(instanceId));
    }

    private static Map<String, String> pipelineEnv(LaunchOptions options, LocalPipeline.ModelShape shape,
            String bootstrap) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KBI_MAX_MESSAGE_BYTES", Integer.toString(LocalPipeline.MAX_MESSAGE_BYTES));
        env.put("PREPROCESSOR_CHANNELS", Integer.toString(shape.channels()));
        env.put("PREPROCESSOR_HEIGHT", Integer.toString(shape.height()));
        env.put("PREPROCESSOR_WIDTH", Integer.toString(shape.width()));
        env.put("INFERENCE_MODEL_DIR", options.modelDir().toString());
        env.put("WRITER_OUTPUT_DIR", options.outputDir().toString());
        env.put("DJL_CACHE_DIR", options.projectRoot().resolve(".work/djl-cache").toString());
        env.put("OPT_OUT_TRACKING", "true");
        // The progress bars show each stage's lag: read every second here (5 s elsewhere) so that it is current.
        env.put("KBI_STAGE_LAG_INTERVAL", "PT1S");
        env.putAll(options.serviceConfig());
        return env;
    }

    private Map<String, String> serviceSpecificEnv(String service) {
        Map<String, String> specific = new HashMap<>();
        // libtorch allocates per batch; glibc malloc fragments under it (28 -> 1.3 img/s on ResNet-50).
        if (service.equals(Pipeline.INFERENCE) && Files.exists(TCMALLOC)) {
            specific.put("LD_PRELOAD", TCMALLOC.toString());
        }
        return specific;
    }

    /**
     * The instance id without its {@code local-} prefix ({@code writer}, {@code reader-<job>},
     * {@code inference-2}); restarts numbered.
     */
    private String logName(String instanceId) {
        String base = instanceId.startsWith("local-") ? instanceId.substring("local-".length()) : instanceId;
        int start = starts.merge(base, 1, Integer::sum);
        return start == 1 ? base : base + ".restart-" + (start - 1);
    }

    /** A port free now (taken and released). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
