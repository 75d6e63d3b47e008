package dev.kbi.inference.model;

import java.util.List;

/**
 * A model's answer for one image, in the shape of an output row: a {@link Classification}
 * (top-k labels and scores, no embedding) or an {@link Embedding} (no labels, a vector).
 */
public sealed interface ModelOutput permits Classification, Embedding {

    /** Class names, best first; empty for an embedding. */
    List<String> labels();

    /** Probabilities of {@link #labels()}; empty for an embedding. */
    float[] scores();

    /** The output vector; null for a classification. */
    float[] embedding();
}
