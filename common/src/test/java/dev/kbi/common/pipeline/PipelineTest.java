package dev.kbi.common.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineTest {

    @Test
    void theDefaultPipelineLinksItsStagesThroughTheirTopics() {
        Pipeline pipeline = Pipeline.defaults();
        assertEquals(List.of("ingest", "reader", "preprocessor", "inference", "writer"), pipeline.names());
        Stage reader = pipeline.stage(Pipeline.READER);
        assertFalse(reader.consumes());
        assertNull(reader.groupId());
        assertEquals(List.of("kbi.images", "kbi.dead-letters"), reader.outputTopics());
        assertEquals(new Stage("preprocessor", "preprocessor", "kbi-preprocessor", List.of("kbi.images"),
                List.of("kbi.tensors", "kbi.dead-letters"), "kbi.tensor-u8-chw.v1", true),
                pipeline.stage(Pipeline.PREPROCESSOR));
        assertEquals(List.of("kbi.predictions", "kbi.dead-letters"), pipeline.stage(Pipeline.WRITER).inputTopics());
        assertEquals(List.of("kbi.results"), pipeline.stage(Pipeline.WRITER).outputTopics());
        assertEquals(List.of("kbi.input", "kbi.images", "kbi.dead-letters", "kbi.tensors", "kbi.predictions",
                "kbi.results"), pipeline.dataTopics());
        assertEquals(List.of("inference", "writer"),
                pipeline.downstreamOf(Pipeline.PREPROCESSOR).stream().map(Stage::name).toList());
        // Both sources feed the same stages; neither is downstream of the other.
        assertEquals(List.of("preprocessor", "inference", "writer"),
                pipeline.downstreamOf(Pipeline.READER).stream().map(Stage::name).toList());
        assertEquals(List.of("preprocessor", "inference", "writer"),
                pipeline.downstreamOf(Pipeline.INGEST).stream().map(Stage::name).toList());
        assertEquals(List.of("ingest", "preprocessor", "inference", "writer"),
                pipeline.consumers().stream().map(Stage::name).toList());
        assertEquals(List.of("reader", "preprocessor", "inference", "writer"), pipeline.consumingServices());
        assertEquals("reader", pipeline.stage(Pipeline.INGEST).service());
        assertEquals(List.of("kbi.input"), pipeline.stage(Pipeline.INGEST).inputTopics());
        assertEquals("kbi-ingest", pipeline.stage(Pipeline.INGEST).groupId());
        assertEquals("kbi.jobs", pipeline.topics().jobs());
    }

    @Test
    void aGroupOrTopicRenamedInTheSharedConfigurationIsRenamedForEveryStageThatUsesIt() {
        Pipeline pipeline = Pipeline.fromEnvironment(Map.of("KBI_GROUPS_PREPROCESSOR", "team-a-prep",
                "KBI_TOPICS_TENSORS", "team-a.tensors", "UNRELATED", "x"));
        assertEquals("team-a-prep", pipeline.stage(Pipeline.PREPROCESSOR).groupId());
        assertEquals(List.of("team-a.tensors", "kbi.dead-letters"), pipeline.stage(Pipeline.PREPROCESSOR).outputTopics());
        assertEquals(List.of("team-a.tensors"), pipeline.stage(Pipeline.INFERENCE).inputTopics());
        assertEquals("kbi-inference", pipeline.stage(Pipeline.INFERENCE).groupId());
    }

    @Test
    void anUnknownStageIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pipeline.defaults().stage("postprocessor"));
        assertEquals("No stage postprocessor in [ingest, reader, preprocessor, inference, writer]", e.getMessage());
    }
}
