package dev.kbi.loadtests;

import java.util.List;

/**
 * How much each scenario does. {@code quick} finishes in a few minutes on 2 cores; {@code full}
 * is for a quiet machine and an hour.
 *
 * @param name profile name
 * @param ceilingRows rows through the bare model loop
 * @param pipelineRows rows through the tuned pipeline
 * @param naiveRows rows through the naive pipeline (it is slow)
 * @param sweepRows rows per point of the batch-size x concurrency sweep
 * @param batchSizes the sweep's batch sizes
 * @param concurrencies the sweep's inference consumer threads
 * @param scaleRows data sizes of the scaling scenario (1x, 10x, 100x)
 * @param transportMegabytes megabytes sent per transport measurement
 * @param memoryRows the memory scenario's job sizes: 1x and 10x
 * @param workerRows rows per run of the inference-workers scenario
 * @param budgetRows rows per run of the backpressure-budget scenario
 * @param budgetBlocksPerStage the budgets it tries ({@code reader.backpressure.blocks-per-stage})
 * @param resultsRows rows per job of the results-topic scenario
 */
record Profile(String name, int ceilingRows, int pipelineRows, int naiveRows, int sweepRows, List<Integer> batchSizes,
        List<Integer> concurrencies, List<Integer> scaleRows, int transportMegabytes, List<Integer> memoryRows,
        int workerRows, int budgetRows, List<Integer> budgetBlocksPerStage, int resultsRows) {

    static final Profile QUICK = new Profile("quick", 3_000, 3_000, 600, 1_500, List.of(1, 8, 32),
            List.of(1, 2), List.of(1_000, 10_000, 100_000), 200, List.of(10_000, 100_000), 10_000,
            50_000, List.of(4, 8, 16, 32), 5_000);

    static final Profile FULL = new Profile("full", 20_000, 30_000, 3_000, 10_000, List.of(1, 8, 16, 32, 64),
            List.of(1, 2), List.of(10_000, 100_000, 1_000_000), 1_000, List.of(100_000, 1_000_000), 50_000,
            200_000, List.of(2, 4, 8, 16, 32, 64), 50_000);
}
