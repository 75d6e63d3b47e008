package dev.kbi.inference;

import dev.kbi.common.block.BlockCodec;
import dev.kbi.common.runtime.BlockHandler;
import dev.kbi.inference.batch.BatchingClassifier;
import dev.kbi.inference.model.BatchModel;

/**
 * Gives benchmarks the package-private handler; with {@code -DperBlock=true} it is wrapped so the
 * worker hands it one block at a time (the default {@code handleAll}), to compare with poll-wide
 * batching.
 */
public final class InferenceBench {
    private InferenceBench() {
    }

    public static BlockHandler handler(BlockCodec codec, String out, BatchModel model, BatchingClassifier.Source s) {
        InferenceHandler h = new InferenceHandler("inference", codec, out, model.descriptor(), s);
        if (!Boolean.getBoolean("perBlock")) {
            return h;
        }
        return new BlockHandler() {
            @Override
            public void handle(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r,
                    dev.kbi.common.runtime.BlockEmitter e) throws Exception {
                h.handle(r, e);
            }

            @Override
            public void close() {
                h.close();
            }
        };
    }
}
