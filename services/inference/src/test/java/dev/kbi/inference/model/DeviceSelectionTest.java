package dev.kbi.inference.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DeviceSelectionTest {

    @Test
    void autoTakesTheFirstGpuWhenThereIsOneElseTheCpu() {
        assertEquals(Device.cpu(), DeviceSelection.resolve("auto", 0));
        assertEquals(Device.gpu(0), DeviceSelection.resolve("auto", 2));
    }

    @Test
    void explicitDevices() {
        assertEquals(Device.cpu(), DeviceSelection.resolve("cpu", 4));
        assertEquals(Device.gpu(0), DeviceSelection.resolve("gpu", 1));
        assertEquals(Device.gpu(1), DeviceSelection.resolve(" GPU:1 ", 2));
    }

    @Test
    void aGpuThatIsNotThereIsAnErrorNotACpuFallback() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceSelection.resolve("gpu", 0));
        assertTrue(e.getMessage().contains("sees 0 GPU"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceSelection.resolve("gpu:2", 2));
    }

    @Test
    void unknownValuesAreRefused() {
        for (String value : new String[] {"tpu", "gpu:x", "gpu:", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceSelection.resolve(value, 1), value);
            assertTrue(e.getMessage().contains("auto, cpu, gpu, gpu:N"), e.getMessage());
        }
    }

    @Test
    void halfPrecisionAppliesOnAGpuOnly() {
        assertEquals(Precision.FP32, Precision.FP16.on(Device.cpu()));
        assertEquals(Precision.FP32, Precision.BF16.on(Device.cpu()));
        assertEquals(Precision.FP16, Precision.FP16.on(Device.gpu(0)));
        assertEquals(Precision.BF16, Precision.BF16.on(Device.gpu(1)));
    }
}
