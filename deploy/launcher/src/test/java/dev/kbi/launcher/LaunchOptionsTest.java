package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    private static final Path ROOT = Path.of("/project");

    @Test
    void defaultsUseTheBundledSamplesAndModel() {
        LaunchOptions o = LaunchOptions.parse(ROOT, new String[0]);
        assertEquals(ROOT.resolve("samples/fashion-mnist"), o.input());
        assertEquals(ROOT.resolve("models/fashion-mnist"), o.modelDir());
        assertEquals(4, o.partitions());
        assertEquals(Map.of(), o.serviceConfig());
        assertEquals(List.of(), o.jvmOptions("inference"));
    }

    @Test
    void jvmOptionsArePerService() {
        LaunchOptions d = LaunchOptions.defaults(ROOT);
        LaunchOptions o = new LaunchOptions(ROOT, d.input(), d.modelDir(), d.workDir(), d.outputDir(), "j", 4,
                d.timeout(), true, Map.of(), Map.of("inference", List.of("-Xms256m", "-Xmx256m")));
        assertEquals(List.of("-Xms256m", "-Xmx256m"), o.jvmOptions("inference"));
        assertEquals(List.of(), o.jvmOptions("writer"));
    }

    @Test
    void flagsAndSettingsAreParsed() {
        LaunchOptions o = LaunchOptions.parse(ROOT, new String[] {"--input", "/data/in", "--model", "/m",
            "--job-id", "j1", "--partitions", "8", "--timeout-minutes", "2", "--set", "inference.batch-size=64",
            "--set", "kbi.stage.concurrency=2"});
        assertEquals(Path.of("/data/in"), o.input());
        assertEquals(Path.of("/m"), o.modelDir());
        assertEquals("j1", o.jobId());
        assertEquals(8, o.partitions());
        assertEquals(Duration.ofMinutes(2), o.timeout());
        assertEquals(Map.of("INFERENCE_BATCH_SIZE", "64", "KBI_STAGE_CONCURRENCY", "2"), o.serviceConfig());
    }

    @Test
    void mistakesAreReportedWithTheUsage() {
        assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(ROOT, new String[] {"--bogus", "x"}));
        assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(ROOT, new String[] {"--input"}));
        assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(ROOT, new String[] {"--set", "x"}));
    }
}
