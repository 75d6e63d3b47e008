package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The local run sizes each data topic for the most consumers its stage may run. */
class TopicPartitionsTest {

    private static final Path ROOT = Path.of(".").toAbsolutePath();

    private static PipelineTopics pipeline(String... args) {
        return new PipelineTopics(LaunchOptions.parse(ROOT, args));
    }

    @Test
    void atLeastTheRequestedPartitionsWhenStagesRunFewerConsumers() {
        PipelineTopics defaults = pipeline();
        assertEquals(4, defaults.partitionsFor("kbi.images"));
        assertEquals(4, defaults.partitionsFor("kbi.tensors"));
    }

    @Test
    void aStageThatMayScaleBeyondThemGetsOnePartitionPerConsumer() {
        PipelineTopics scaling = pipeline("--partitions", "2", "--set", "kbi.stage.max-concurrency=6");
        assertEquals(6, scaling.partitionsFor("kbi.tensors"));
        PipelineTopics fixed = pipeline("--partitions", "1");
        assertEquals(2, fixed.partitionsFor("kbi.tensors"), "inference runs 2 consumers by default");
        assertEquals(1, fixed.partitionsFor("kbi.images"));
    }
}
