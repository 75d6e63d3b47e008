package dev.kbi.inference.batch;

/** Told when a model thread starts and ends a model batch (metrics). Called on the model threads. */
public interface ModelListener {

    /** A listener that records nothing. */
    ModelListener NONE = new ModelListener() {
        @Override
        public void batchStarted(int thread) {
        }

        @Override
        public void batchEnded(int thread, int rows) {
        }
    };

    /** Model thread {@code thread} (0-based) starts a batch. */
    void batchStarted(int thread);

    /** Model thread {@code thread} finished a batch of {@code rows} rows (successfully or not). */
    void batchEnded(int thread, int rows);
}
