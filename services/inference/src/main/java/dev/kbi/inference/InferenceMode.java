package dev.kbi.inference;

/** How the service holds its model ({@code inference.mode}). */
public enum InferenceMode {
    /** The model is loaded and warmed up once, then held for every batch: the way to serve. */
    POOLED,
    /**
     * Benchmark baseline only: the model is reloaded for every model batch and closed after it
     * (Ray Data's "naive approach"); never use it to serve. See
     * {@link dev.kbi.inference.model.NaiveClassifier}.
     */
    NAIVE
}
