package dev.kbi.common.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's resident memory, {@code process_resident_memory_bytes} and its peak {@code
 * process_resident_memory_max_bytes}, as the Prometheus process collector names them: heap, libtorch's native
 * memory and Arrow's buffers together, which is what a container's memory limit counts. Read from
 * {@code /proc/self/status} (Linux); where that file is absent the gauges are not registered.
 */
@Singleton
public class ProcessMemoryMetrics implements MeterBinder {

    private static final Path STATUS = Path.of("/proc/self/status");

    @Override
    public void bindTo(MeterRegistry registry) {
        if (kilobytes("VmRSS").isEmpty()) {
            return;
        }
        Gauge.builder("process.resident.memory", () -> kilobytes("VmRSS").orElse(0) * 1024).baseUnit("bytes")
                .description("Resident memory of the process (VmRSS)").register(registry);
        Gauge.builder("process.resident.memory.max", () -> kilobytes("VmHWM").orElse(0) * 1024).baseUnit("bytes")
                .description("Peak resident memory of the process (VmHWM)").register(registry);
    }

    /** A {@code Key:   1234 kB} line of /proc/self/status. */
    static OptionalLong kilobytes(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key + ":")) {
                    return OptionalLong.of(Long.parseLong(line.substring(key.length() + 1).replace("kB", "").strip()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
