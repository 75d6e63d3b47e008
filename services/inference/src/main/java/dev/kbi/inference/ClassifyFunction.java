package dev.kbi.inference;

import dev.kbi.common.rows.PredictionRow;
import dev.kbi.common.rows.TensorRow;
import dev.kbi.common.runtime.RowFailures;
import dev.kbi.common.runtime.StageFunction;
import dev.kbi.inference.model.Classification;
import dev.kbi.inference.model.BatchModel;
import dev.kbi.inference.model.ModelDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The inference stage's function: rows of a block run through the model in batches of
 * {@code batchSize} (the model batch, independent of the block size). Rows whose shape does not
 * match the model are dead-lettered.
 */
public final class ClassifyFunction implements StageFunction<TensorRow, PredictionRow> {

    private final BatchModel classifier;
    private final int batchSize;

    public ClassifyFunction(BatchModel classifier, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("inference.batch-size must be >= 1, was " + batchSize);
        }
        this.classifier = classifier;
        this.batchSize = batchSize;
    }

    @Override
    public List<PredictionRow> apply(List<TensorRow> rows, RowFailures failures) {
        List<TensorRow> valid = new ArrayList<>(rows.size());
        for (TensorRow row : rows) {
            String problem = shapeProblem(row);
            if (problem == null) {
                valid.add(row);
            } else {
                failures.fail(row.rowId(), row.source(), new IllegalArgumentException(problem), null);
            }
        }
        List<PredictionRow> predictions = new ArrayList<>(valid.size());
        for (int start = 0; start < valid.size(); start += batchSize) {
            List<TensorRow> batch = valid.subList(start, Math.min(valid.size(), start + batchSize));
            List<Classification> results = classifier.classify(batch.stream().map(TensorRow::pixels).toList());
            long now = System.currentTimeMillis();
            for (int i = 0; i < batch.size(); i++) {
                predictions.add(toPrediction(batch.get(i), results.get(i), now));
            }
        }
        return predictions;
    }

    private String shapeProblem(TensorRow row) {
        ModelDescriptor.Input in = classifier.descriptor().input();
        if (row.channels() == in.channels() && row.height() == in.height() && row.width() == in.width()) {
            return null;
        }
        return "Tensor " + row.channels() + "x" + row.height() + "x" + row.width() + " does not match model "
                + classifier.descriptor().qualifiedName() + " input " + in.channels() + "x" + in.height() + "x"
                + in.width() + " (check the preprocessor's target size)";
    }

    private PredictionRow toPrediction(TensorRow row, Classification result, long now) {
        return new PredictionRow(row.rowId(), row.source(), row.readAtMillis(), row.preprocessedAtMillis(), now,
                result.labels(), result.scores(), classifier.descriptor().qualifiedName());
    }
}
