package dev.kbi.inference.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

/**
 * Float type the model computes in ({@code inference.precision}). Half precisions apply on a GPU
 * only: CPUs lack fast fp16 kernels (many are not implemented), so {@link #on} gives
 * {@link #FP32} there. DJL 0.36 cannot cast a loaded TorchScript module, so for {@code fp16}/
 * {@code bf16} the weights must be exported in that precision ({@code model.half()} or
 * {@code model.bfloat16()} before {@code torch.jit.trace}), named in {@code model.json}
 * ({@code "filesByPrecision": {"fp16": "model-fp16.pt"}}); the normalized input is cast to match,
 * and scores are computed in fp32.
 */
public enum Precision {
    FP32(DataType.FLOAT32),
    FP16(DataType.FLOAT16),
    BF16(DataType.BFLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /** The model's input (and weight) type. */
    public DataType dataType() {
        return dataType;
    }

    /** The precision used on {@code device}: half precisions fall back to fp32 off a GPU. */
    public Precision on(Device device) {
        return device.isGpu() ? this : FP32;
    }

    /** The name used in {@code model.json} and the setting: {@code fp32}, {@code fp16}, {@code bf16}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
