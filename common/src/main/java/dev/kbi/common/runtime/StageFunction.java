package dev.kbi.common.runtime;

import java.util.List;

/**
 * A stage's logic on the rows of one block, free of Kafka types so it can be unit-tested alone.
 * A row that cannot be processed is reported to {@code failures} and left out of the result;
 * exceptions are for failures of the stage itself.
 *
 * @param <I> input row type
 * @param <O> output row type
 */
@FunctionalInterface
public interface StageFunction<I, O> {

    List<O> apply(List<I> rows, RowFailures failures) throws Exception;
}
