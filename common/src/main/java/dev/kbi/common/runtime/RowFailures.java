package dev.kbi.common.runtime;

import dev.kbi.common.rows.DeadLetterRow;
import java.util.ArrayList;
import java.util.List;

/** Collects the rows of one block that failed, with their reasons, for the dead-letter topic. */
public final class RowFailures {

    private final String stage;
    private final List<DeadLetterRow> rows = new ArrayList<>();

    public RowFailures(String stage) {
        this.stage = stage;
    }

    /** Records that row {@code rowId} failed with {@code error}; {@code payload} may be null. */
    public void fail(String rowId, String source, Throwable error, byte[] payload) {
        fail(rowId, source, null, error, payload);
    }

    /** Records that row {@code rowId}, of input key {@code key} (null: none), failed with {@code error}. */
    public void fail(String rowId, String source, String key, Throwable error, byte[] payload) {
        rows.add(DeadLetterRow.of(rowId, source, key, stage, error, payload));
    }

    public List<DeadLetterRow> rows() {
        return rows;
    }
}
