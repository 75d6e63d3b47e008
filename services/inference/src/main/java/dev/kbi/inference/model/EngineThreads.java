package dev.kbi.inference.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread pool ({@code inference.intra-op-threads}): the threads one model
 * call uses on a CPU. DJL reads {@code -Dai.djl.pytorch.num_threads} once, when the engine starts;
 * this sets that property and, if the engine had already started (tests, a second model), sets the
 * pool size directly, so the value takes effect either way.
 */
public final class EngineThreads {

    static final String PROPERTY = "ai.djl.pytorch.num_threads";

    private EngineThreads() {
    }

    /**
     * Sets the intra-op threads and starts the engine.
     *
     * @return the intra-op threads in effect
     */
    public static int configure(int intraOpThreads) {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("inference.intra-op-threads must be >= 1, was " + intraOpThreads);
        }
        System.setProperty(PROPERTY, Integer.toString(intraOpThreads));
        Engine.getEngine("PyTorch");
        if (JniUtils.getNumThreads() != intraOpThreads) {
            JniUtils.setNumThreads(intraOpThreads);
        }
        return JniUtils.getNumThreads();
    }

    /** The intra-op threads in effect (starts the engine). */
    public static int current() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }
}
