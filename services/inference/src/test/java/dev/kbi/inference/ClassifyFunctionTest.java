package dev.kbi.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbi.common.rows.PredictionRow;
import dev.kbi.common.rows.TensorRow;
import dev.kbi.common.runtime.RowFailures;
import dev.kbi.inference.model.ImageClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifyFunctionTest {

    @Test
    void splitsBlocksIntoModelBatchesKeepsRowIdsAndDeadLettersWrongShapes() {
        try (ImageClassifier classifier = ImageClassifier.load(Path.of("../../models/fashion-mnist"), "cpu")) {
            List<TensorRow> rows = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                rows.add(new TensorRow("r" + i, "s" + i, 1, 2, 1, 28, 28, new byte[28 * 28]));
            }
            rows.add(4, new TensorRow("bad", "s-bad", 1, 2, 3, 28, 28, new byte[3 * 28 * 28]));
            RowFailures failures = new RowFailures("inference");
            List<PredictionRow> out = new ClassifyFunction(classifier, 3).apply(rows, failures);
            assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"),
                    out.stream().map(PredictionRow::rowId).toList());
            assertEquals("fashion-mnist-cnn:1", out.get(0).model());
            assertEquals(List.of("bad"), failures.rows().stream().map(f -> f.rowId()).toList());
            assertEquals("java.lang.IllegalArgumentException", failures.rows().get(0).errorClass());
        }
    }
}
