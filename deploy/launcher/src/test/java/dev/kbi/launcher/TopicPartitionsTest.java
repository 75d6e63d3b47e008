package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The local run sizes each data topic for the most consumers its stage may run. */
class TopicPartitionsTest {

    private static final Path ROOT = Path.of(".").toAbsolutePath();

    private static LocalPipeline pipeline(String... args) {
        return new LocalPipeline(LaunchOptions.parse(ROOT, args), new PrintStream(PrintStream.nullOutputStream()));
    }

    @Test
    void atLeastTheRequestedPartitionsWhenStagesRunFewerConsumers() {
        LocalPipeline defaults = pipeline();
        assertEquals(4, defaults.partitionsFor("kbi.images"));
        assertEquals(4, defaults.partitionsFor("kbi.tensors"));
    }

    @Test
    void aStageThatMayScaleBeyondThemGetsOnePartitionPerConsumer() {
        LocalPipeline scaling = pipeline("--partitions", "2", "--set", "kbi.stage.max-concurrency=6");
        assertEquals(6, scaling.partitionsFor("kbi.tensors"));
        LocalPipeline fixed = pipeline("--partitions", "1");
        assertEquals(2, fixed.partitionsFor("kbi.tensors"), "inference runs 2 consumers by default");
        assertEquals(1, fixed.partitionsFor("kbi.images"));
    }
}
