package dev.kbi.inference.model;

import java.nio.file.Path;

/** A model that cannot be used, with the file at fault: the service stays not-ready. */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(Path file, String problem) {
        super("Model file " + file.toAbsolutePath() + ": " + problem);
    }

    public ModelLoadException(Path file, String problem, Throwable cause) {
        super("Model file " + file.toAbsolutePath() + ": " + problem, cause);
    }
}
