package dev.kbi.common.pipeline;

import java.util.List;

/**
 * One stage of the pipeline, as every part of the system names it: the runtime that consumes for
 * it, the reader's backpressure and the launcher that watch its lag, the job status that sums its
 * events, the deployment that scales it. Built by {@link Pipeline} from the shared configuration,
 * never spelled out anywhere else.
 *
 * @param name the stage's name: the {@code stage} tag of its metrics, the {@code stage} of its job
 *     events
 * @param service the service that runs it (its jar, its Deployment): a service may run several
 * @param groupId its consumer group; null for a source, which consumes nothing
 * @param inputTopics the topics it consumes (empty for a source)
 * @param outputTopics the topics it produces to, its dead letters included (the writer: its results)
 * @param outputSchema the row schema of the blocks of its main output ({@code kbi-schema} header);
 *     null for a sink, which writes files (and the writer JSON results) instead
 * @param commitsJobEvents whether its commits carry the job events the job status is summed from
 */
public record Stage(String name, String service, String groupId, List<String> inputTopics, List<String> outputTopics,
        String outputSchema, boolean commitsJobEvents) {

    public Stage {
        inputTopics = List.copyOf(inputTopics);
        outputTopics = List.copyOf(outputTopics);
        if (inputTopics.isEmpty() != (groupId == null)) {
            throw new IllegalArgumentException("Stage " + name + ": a consumer group goes with input topics");
        }
    }

    /** Whether the stage consumes (has a group and input topics): a source does not. */
    public boolean consumes() {
        return groupId != null;
    }
}
