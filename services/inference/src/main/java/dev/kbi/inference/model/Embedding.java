package dev.kbi.inference.model;

import java.util.List;

/**
 * The output vector of an embedding model for one image ({@code output.kind} {@code embedding}).
 *
 * @param vector the model's output row, L2-normalized when {@code output.normalize} is set
 */
public record Embedding(float[] vector) implements ModelOutput {

    private static final float[] NO_SCORES = new float[0];

    @Override
    public List<String> labels() {
        return List.of();
    }

    @Override
    public float[] scores() {
        return NO_SCORES;
    }

    @Override
    public float[] embedding() {
        return vector;
    }
}
