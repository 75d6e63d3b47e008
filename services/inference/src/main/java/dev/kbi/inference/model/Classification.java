package dev.kbi.inference.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The top-k classes of one image, best first ({@code output.kind} {@code classes}).
 *
 * @param labels class names
 * @param scores their probabilities
 * @param indices their class indices
 */
public record Classification(List<String> labels, float[] scores, int[] indices) implements ModelOutput {

    /** A classification has no embedding. */
    @Override
    public float[] embedding() {
        return null;
    }

    /** Picks the {@code k} largest of {@code probabilities[offset .. offset+classes)}; ties keep the lower index. */
    static Classification top(float[] probabilities, int offset, int classes, int k, List<String> names) {
        int[] best = new int[k];
        float[] bestScores = new float[k];
        int filled = 0;
        for (int c = 0; c < classes; c++) {
            float p = probabilities[offset + c];
            if (filled < k || p > bestScores[filled - 1]) {
                int pos = Math.min(filled, k - 1);
                while (pos > 0 && bestScores[pos - 1] < p) {
                    best[pos] = best[pos - 1];
                    bestScores[pos] = bestScores[pos - 1];
                    pos--;
                }
                best[pos] = c;
                bestScores[pos] = p;
                filled = Math.min(filled + 1, k);
            }
        }
        List<String> labels = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            labels.add(names.get(best[i]));
        }
        return new Classification(labels, bestScores, best);
    }
}
