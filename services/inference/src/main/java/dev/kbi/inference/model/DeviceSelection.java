package dev.kbi.inference.model;

import ai.djl.Device;
import java.util.Locale;

/**
 * Resolves {@code inference.device} against the GPUs the engine sees: {@code auto} (a GPU when
 * there is one, else the CPU), {@code cpu}, {@code gpu} (GPU 0) or {@code gpu:N}. One process drives
 * one device with one model (Ray's {@code num_gpus=1} per worker): run one inference instance per
 * GPU. A GPU asked for but absent is a startup error, not a silent fallback to the CPU.
 */
public final class DeviceSelection {

    private DeviceSelection() {
    }

    /**
     * @param configured the setting's value
     * @param gpuCount GPUs the engine sees ({@code Engine.getGpuCount()}; 0 with the CPU-only libtorch)
     * @throws IllegalArgumentException for an unknown value or a GPU that is not there
     */
    public static Device resolve(String configured, int gpuCount) {
        String value = configured.strip().toLowerCase(Locale.ROOT);
        if (value.equals("auto")) {
            return gpuCount > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (value.equals("cpu")) {
            return Device.cpu();
        }
        int index;
        if (value.equals("gpu")) {
            index = 0;
        } else if (value.startsWith("gpu:")) {
            try {
                index = Integer.parseInt(value.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(invalid(configured), e);
            }
        } else {
            throw new IllegalArgumentException(invalid(configured));
        }
        if (index < 0 || index >= gpuCount) {
            throw new IllegalArgumentException("inference.device=" + configured + " but the engine sees " + gpuCount
                    + " GPU(s) (a CPU-only libtorch, or no CUDA driver): use cpu or auto, or install a CUDA libtorch");
        }
        return Device.gpu(index);
    }

    private static String invalid(String configured) {
        return "inference.device=" + configured + " is not one of auto, cpu, gpu, gpu:N";
    }
}
