package dev.kbi.preprocessor;

import dev.kbi.common.rows.ImageRow;
import dev.kbi.common.rows.TensorRow;
import dev.kbi.common.runtime.RowFailures;
import dev.kbi.common.runtime.StageFunction;
import dev.kbi.preprocessor.image.ImageDecodeException;
import dev.kbi.preprocessor.image.ImagePreprocessor;
import dev.kbi.preprocessor.image.TargetShape;
import java.util.ArrayList;
import java.util.List;

/** The preprocessor stage's function: decode, orient, resize and crop each image to uint8 CHW. */
public final class PreprocessFunction implements StageFunction<ImageRow, TensorRow> {

    private final ImagePreprocessor preprocessor;
    private final TargetShape shape;

    public PreprocessFunction(ImagePreprocessor preprocessor, TargetShape shape) {
        this.preprocessor = preprocessor;
        this.shape = shape;
    }

    @Override
    public List<TensorRow> apply(List<ImageRow> rows, RowFailures failures) {
        List<TensorRow> tensors = new ArrayList<>(rows.size());
        for (ImageRow row : rows) {
            try {
                byte[] pixels = preprocessor.toChwPixels(row.bytes());
                tensors.add(new TensorRow(row.rowId(), row.source(), row.readAtMillis(), System.currentTimeMillis(),
                        shape.channels(), shape.height(), shape.width(), pixels, row.key()));
            } catch (ImageDecodeException | RuntimeException e) {
                failures.fail(row.rowId(), row.source(), row.key(), e, row.bytes());
            }
        }
        return tensors;
    }
}
