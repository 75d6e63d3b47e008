package dev.kbi.launcher;

import java.nio.file.Path;
import java.time.Duration;

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
 * @param quiet print no progress lines (tests)
 */
public record LaunchOptions(Path projectRoot, Path input, Path modelDir, Path workDir, Path outputDir, String jobId,
        int partitions, Duration timeout, boolean quiet) {

    /** Defaults for a project checkout: the bundled Fashion-MNIST samples and model. */
    public static LaunchOptions defaults(Path projectRoot) {
        Path work = projectRoot.resolve(".work/local");
        return new LaunchOptions(projectRoot, projectRoot.resolve("samples/fashion-mnist"),
                projectRoot.resolve("models/fashion-mnist"), work, projectRoot.resolve(".work/output"),
                "job-" + System.currentTimeMillis(), 4, Duration.ofMinutes(30), false);
    }

    /** Parses {@code --input DIR --model DIR --output DIR --job-id ID --partitions N --timeout-minutes M}. */
    public static LaunchOptions parse(Path projectRoot, String[] args) {
        LaunchOptions o = defaults(projectRoot);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException(usage());
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Missing value after " + flag + "\n" + usage());
            }
            String value = args[++i];
            o = switch (flag) {
                case "--input" -> o.with(abs(value), o.modelDir, o.outputDir, o.jobId, o.partitions, o.timeout);
                case "--model" -> o.with(o.input, abs(value), o.outputDir, o.jobId, o.partitions, o.timeout);
                case "--output" -> o.with(o.input, o.modelDir, abs(value), o.jobId, o.partitions, o.timeout);
                case "--job-id" -> o.with(o.input, o.modelDir, o.outputDir, value, o.partitions, o.timeout);
                case "--partitions" -> o.with(o.input, o.modelDir, o.outputDir, o.jobId, Integer.parseInt(value),
                        o.timeout);
                case "--timeout-minutes" -> o.with(o.input, o.modelDir, o.outputDir, o.jobId, o.partitions,
                        Duration.ofMinutes(Long.parseLong(value)));
                default -> throw new IllegalArgumentException("Unknown option " + flag + "\n" + usage());
            };
        }
        return o;
    }

    static String usage() {
        return "Usage: run-local.sh [--input DIR|manifest.jsonl] [--model MODEL_DIR] [--output DIR] [--job-id ID]"
                + " [--partitions N] [--timeout-minutes M]";
    }

    private LaunchOptions with(Path input, Path model, Path output, String job, int parts, Duration time) {
        return new LaunchOptions(projectRoot, input, model, workDir, output, job, parts, time, quiet);
    }

    private static Path abs(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }
}
