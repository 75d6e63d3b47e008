package dev.kbi.inference.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the pipeline needs to know about a model beside its weights: the input shape the
 * preprocessor must produce, the normalization the inference stage applies on the device, and how
 * to read the output. Read from {@code model.json} in the model's folder.
 *
 * @param name model name written on every output row
 * @param version model version written on every output row
 * @param file the TorchScript file, relative to the model folder
 * @param filesByPrecision optional TorchScript files exported in half precision, by
 *        {@link Precision#key()} ({@code {"fp16": "model-fp16.pt"}}), used with
 *        {@code inference.precision} on a GPU
 */
public record ModelDescriptor(String name, String version, String file, Input input, Normalize normalize,
        Output output, Map<String, String> filesByPrecision) {

    public static final String FILE_NAME = "model.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Input tensor shape (channel-first). */
    public record Input(int channels, int height, int width) {
    }

    /** {@code x = (pixel / scale - mean[c]) / std[c]}, applied on the device. */
    public record Normalize(float scale, float[] mean, float[] std) {
    }

    /**
     * How to read the model's output. {@code kind} {@code classes}: the output is logits
     * {@code N x classes}; softmax, then the {@code topK} best of the class names in {@code labels}
     * (a file, one name per line; both required). {@code kind} {@code embedding}: the output row is
     * the image's vector, {@code N x D}; {@code dimension} (optional, 0 = not given) is the D every
     * vector must have, {@code normalize} scales each to unit L2 norm.
     */
    public record Output(String kind, String labels, int topK, int dimension, boolean normalize) {

        public static final String CLASSES = "classes";
        public static final String EMBEDDING = "embedding";
    }

    /** The TorchScript file for {@code precision}: its own export if named, else {@link #file}. */
    public String file(Precision precision) {
        if (filesByPrecision != null && filesByPrecision.containsKey(precision.key())) {
            return filesByPrecision.get(precision.key());
        }
        return file;
    }

    /** The model's name and version as written on output rows. */
    public String qualifiedName() {
        return name + ":" + version;
    }

    /**
     * Reads and validates {@code <modelDir>/model.json}.
     *
     * @throws ModelLoadException naming the file and what is wrong with it
     */
    public static ModelDescriptor read(Path modelDir) {
        Path path = modelDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(path)) {
            throw new ModelLoadException(path, "model descriptor not found (set inference.model-dir to a folder "
                    + "holding model.json, the TorchScript file and its labels)");
        }
        ModelDescriptor descriptor;
        try {
            descriptor = JSON.readValue(path.toFile(), ModelDescriptor.class);
        } catch (IOException e) {
            throw new ModelLoadException(path, "not a valid model descriptor: " + e.getMessage());
        }
        descriptor.validate(path);
        return descriptor;
    }

    private void validate(Path path) {
        require(path, name != null && version != null && file != null, "name, version and file are required");
        require(path, input != null && input.channels() > 0 && input.height() > 0 && input.width() > 0,
                "input.channels/height/width must be positive");
        require(path, normalize != null && normalize.scale() > 0, "normalize.scale must be positive");
        require(path, normalize.mean().length == input.channels() && normalize.std().length == input.channels(),
                "normalize.mean and normalize.std need one value per input channel");
        require(path, output != null
                && (Output.CLASSES.equals(output.kind()) || Output.EMBEDDING.equals(output.kind())),
                "output.kind must be \"classes\" or \"embedding\"");
        if (Output.CLASSES.equals(output.kind())) {
            require(path, output.labels() != null && output.topK() > 0,
                    "output.labels and output.topK are required for output.kind \"classes\"");
            require(path, !output.normalize() && output.dimension() == 0,
                    "output.normalize and output.dimension apply to output.kind \"embedding\" only");
        } else {
            require(path, output.dimension() >= 0, "output.dimension must be positive (or left out)");
        }
    }

    private static void require(Path path, boolean condition, String problem) {
        if (!condition) {
            throw new ModelLoadException(path, problem);
        }
    }

    /** The class labels, one per line, in output index order (a {@code classes} model's). */
    public List<String> readLabels(Path modelDir) {
        Path path = modelDir.resolve(output.labels());
        try {
            return Files.readAllLines(path).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new ModelLoadException(path, "labels file cannot be read: " + e);
        }
    }
}
