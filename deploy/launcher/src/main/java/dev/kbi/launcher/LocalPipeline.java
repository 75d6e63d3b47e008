package dev.kbi.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One local run: a fresh KRaft broker, the pipeline's topics, the four services in their own
 * JVMs ({@link RunningPipeline}), one job, and a clean shutdown. Completion is the writer's
 * {@code _SUCCESS} or {@code _FAILED} manifest.
 */
public final class LocalPipeline {

    /** The topics' and broker's {@code max.message.bytes}; the services split blocks below it. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

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
        try (RunningPipeline pipeline = RunningPipeline.start(options, out)) {
            RunningPipeline.Job job = externalInput == null ? pipeline.submit(options.jobId(), options.input())
                    : pipeline.submit(options.jobId(), options.input(), externalInput);
            return pipeline.await(job, options.timeout());
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
