package dev.kbi.launcher;

import dev.kbi.common.pipeline.Pipeline;
import dev.kbi.common.job.JobIds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one local run does.
 *
 * @param projectRoot the folder holding {@code mvnw}; service jars are found under it
 * @param input directory of images or JSONL manifest
 * @param modelDir folder with model.json
 * @param workDir scratch space: broker data, service logs
 * @param outputDir the writer's output root
 * @param jobId the job's id
 * @param partitions partitions per pipeline topic
 * @param timeout how long the job may take before the run fails
 * @param quiet print no progress lines (tests, benchmarks)
 * @param serviceConfig configuration given to every service, as environment variables
 *     ({@code INFERENCE_BATCH_SIZE=64}); each service reads the keys it knows
 * @param jvmOptions extra JVM options per service name ({@code reader}, {@code preprocessor},
 *     {@code inference}, {@code writer}), appended after the launcher's defaults, so that e.g. an
 *     {@code -Xmx} here replaces the default heap limit
 */
public record LaunchOptions(Path projectRoot, Path input, Path modelDir, Path workDir, Path outputDir, String jobId,
        int partitions, Duration timeout, boolean quiet, Map<String, String> serviceConfig,
        Map<String, List<String>> jvmOptions) {

    public LaunchOptions {
        serviceConfig = Map.copyOf(serviceConfig);
        jvmOptions = Map.copyOf(jvmOptions);
        JobIds.require(jobId);
    }

    /** The flag of {@code run-local.sh --serve}, read by {@link LocalPipelineMain}. */
    static final String SERVE = "--serve";

    /** The stages, groups and topics the services run with under {@link #serviceConfig}. */
    public Pipeline pipeline() {
        return Pipeline.fromEnvironment(serviceConfig);
    }

    /** Options with the launcher's default JVM options for every service. */
    public LaunchOptions(Path projectRoot, Path input, Path modelDir, Path workDir, Path outputDir, String jobId,
            int partitions, Duration timeout, boolean quiet, Map<String, String> serviceConfig) {
        this(projectRoot, input, modelDir, workDir, outputDir, jobId, partitions, timeout, quiet, serviceConfig,
                Map.of());
    }

    /** These options with {@code value} for the service setting {@code envName} ({@code READER_ALLOWED_ROOTS}). */
    public LaunchOptions withServiceSetting(String envName, String value) {
        Map<String, String> config = new java.util.HashMap<>(serviceConfig);
        config.put(envName, value);
        return new LaunchOptions(projectRoot, input, modelDir, workDir, outputDir, jobId, partitions, timeout, quiet,
                config, jvmOptions);
    }

    /**
     * These options with {@code reader.allowed-roots} set, unless it is: the input folder (the manifest's
     * folder for a manifest), what a reader of that input alone would read under. The long-running reader
     * takes jobs over HTTP only under its allowed roots.
     */
    public LaunchOptions withDefaultAllowedRoots() {
        String key = envName("reader.allowed-roots");
        if (serviceConfig.containsKey(key)) {
            return this;
        }
        Path root = java.nio.file.Files.isDirectory(input) ? input : input.toAbsolutePath().getParent();
        return withServiceSetting(key, root.toString());
    }

    /** The extra JVM options of one service (empty when none were given). */
    public List<String> jvmOptions(String service) {
        return jvmOptions.getOrDefault(service, List.of());
    }

    /** Defaults for a project checkout: the bundled Fashion-MNIST samples and model. */
    public static LaunchOptions defaults(Path projectRoot) {
        return new LaunchOptions(projectRoot, projectRoot.resolve("samples/fashion-mnist"),
                projectRoot.resolve("models/fashion-mnist"), projectRoot.resolve(".work/local"),
                projectRoot.resolve(".work/output"), "job-" + System.currentTimeMillis(), 4, Duration.ofMinutes(30),
                false, Map.of());
    }

    /**
     * Parses {@code --input DIR --model DIR --output DIR --job-id ID --partitions N --timeout-minutes M
     * --set key=value} (repeatable; a configuration key such as {@code inference.batch-size}).
     */
    public static LaunchOptions parse(Path projectRoot, String[] args) {
        LaunchOptions d = defaults(projectRoot);
        Path input = d.input;
        Path model = d.modelDir;
        Path output = d.outputDir;
        Path work = d.workDir;
        String jobId = d.jobId;
        int partitions = d.partitions;
        Duration timeout = d.timeout;
        Map<String, String> config = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException(usage());
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value after " + flag + "\n" + usage());
            }
            String value = args[++i];
            switch (flag) {
                case "--input" -> input = abs(value);
                case "--model" -> model = abs(value);
                case "--output" -> output = abs(value);
                case "--work-dir" -> work = abs(value);
                case "--job-id" -> jobId = value;
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--timeout-minutes" -> timeout = Duration.ofMinutes(Long.parseLong(value));
                case "--set" -> putSetting(config, value);
                default -> throw new IllegalArgumentException("Unknown option " + flag + "\n" + usage());
            }
        }
        return new LaunchOptions(projectRoot, input, model, work, output, jobId, partitions, timeout, false, config);
    }

    /** The environment variable MicroProfile Config reads for {@code key}: {@code inference.batch-size} → {@code INFERENCE_BATCH_SIZE}. */
    public static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    static String usage() {
        return "Usage: run-local.sh [--input DIR|manifest.jsonl|.csv|.parquet] [--model MODEL_DIR] [--output DIR]"
                + " [--job-id ID]"
                + " [--partitions N] [--timeout-minutes M] [--work-dir DIR] [--set key=value ...]\n"
                + "       run-local.sh --serve [same options but --input, --job-id]\n"
                + "       run-local.sh --stats JOB [--writer URL]   (a job's stats; writer default "
                + StatsCommand.DEFAULT_WRITER + ")\n"
                + "  --set passes a service setting, e.g. --set inference.batch-size=64 --set kbi.stage.concurrency=2\n"
                + "  --serve runs no job: keeps the broker and the services up for other systems to feed (the\n"
                + "    input topic kbi.input), prints the broker's address and the job status URL; Ctrl-C stops it\n"
                + "  --work-dir holds the broker's data and the logs (default .work/local)";
    }

    private static void putSetting(Map<String, String> config, String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set needs key=value, got " + keyValue);
        }
        config.put(envName(keyValue.substring(0, eq)), keyValue.substring(eq + 1));
    }

    private static Path abs(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }
}
