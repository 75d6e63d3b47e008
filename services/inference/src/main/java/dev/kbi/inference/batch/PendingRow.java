package dev.kbi.inference.batch;

import dev.kbi.inference.model.ModelOutput;
import java.util.concurrent.CompletableFuture;

/**
 * One image waiting for a model batch.
 *
 * @param pixels uint8 CHW pixels of the model's input shape
 * @param result completed by the model thread with the image's output (classes or embedding)
 * @param enqueuedNanos {@link System#nanoTime()} when it was queued: a partial batch runs once its
 *        oldest row has waited {@code inference.max-batch-wait}
 */
record PendingRow(byte[] pixels, CompletableFuture<ModelOutput> result, long enqueuedNanos) {
}
