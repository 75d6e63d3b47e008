package dev.kbi.common.lag;

import java.util.ArrayList;
import dev.kbi.common.pipeline.Stage;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/**
 * Blocks in flight between the source and the sink: the sum of every downstream stage's consumer
 * lag on its input topic. A block being processed still counts (offsets are committed after its
 * output is sent), so the sum covers queued and in-hand blocks alike.
 */
public final class PipelineBacklog {

    /** One stage's input: its consumer group and the topic it reads. */
    public record StageInput(String groupId, String topic) {
    }

    private final Admin admin;
    private final List<StageInput> inputs;

    public PipelineBacklog(Admin admin, List<StageInput> inputs) {
        this.admin = admin;
        this.inputs = List.copyOf(inputs);
    }

    /** The backlog of {@code stages}: every input topic of each, under the stage's group. */
    public static PipelineBacklog of(Admin admin, List<Stage> stages) {
        List<StageInput> inputs = new ArrayList<>();
        for (Stage stage : stages) {
            stage.inputTopics().forEach(topic -> inputs.add(new StageInput(stage.groupId(), topic)));
        }
        return new PipelineBacklog(admin, inputs);
    }

    /** Blocks produced to the pipeline's topics that their stage has not committed yet. */
    public long blocksInFlight() {
        long blocks = 0;
        for (StageInput input : inputs) {
            blocks += ConsumerLag.records(admin, input.groupId(), input.topic());
        }
        return blocks;
    }

    /** The same backlog in blocks and in (estimated) bytes as stored on the broker. */
    public ConsumerLag.Lag inFlight() {
        ConsumerLag.Lag total = ConsumerLag.Lag.NONE;
        for (StageInput input : inputs) {
            total = total.plus(ConsumerLag.recordsAndBytes(admin, input.groupId(), input.topic()));
        }
        return total;
    }
}
