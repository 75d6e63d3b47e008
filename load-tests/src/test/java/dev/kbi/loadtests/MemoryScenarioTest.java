package dev.kbi.loadtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** The memory scenario's verdicts on the peak bytes in flight, on made-up samples. */
class MemoryScenarioTest {

    @Test
    void percentileIsTheNearestRank() {
        RunSampler.InFlight oneToHundred = inFlight(100, i -> i + 1);
        assertEquals(95, oneToHundred.bytesPercentile(0.95));
        assertEquals(100, oneToHundred.bytesPercentile(1.0));
        assertEquals(1, oneToHundred.bytesPercentile(0.001));
        assertEquals(0, inFlight(0, i -> 0).bytesPercentile(0.95));
    }

    @Test
    void aLongerJobWithTheSameSawToothPasses() {
        // The same saw-tooth, 10x as long, with a slightly higher single extreme, as sampling gives.
        RunSampler.InFlight warmUp = sawTooth(200, 2_000);
        RunSampler.InFlight small = sawTooth(200, 1_900);
        RunSampler.InFlight large = sawTooth(2_000, 2_150);
        List<MemoryScenario.Ratio> ratios = MemoryScenario.peakBytesInFlight(
                List.of(result(warmUp), result(small)), small, large);
        assertTrue(ratios.stream().filter(MemoryScenario.Ratio::criterion).allMatch(MemoryScenario.Ratio::pass),
                ratios.toString());
        MemoryScenario.Ratio plainMax = ratios.get(2);
        assertFalse(plainMax.criterion());
        assertEquals(2_150.0 / 1_900, plainMax.ratio(), 1e-9);
    }

    @Test
    void inFlightThatGrowsWithTheJobFails() {
        RunSampler.InFlight small = sawTooth(200, 2_000);
        // What a reader reading ahead in proportion to the job would do: the saw-tooth climbs.
        RunSampler.InFlight growing = inFlight(2_000, i -> (i % 20) * 100 + i * 2);
        List<MemoryScenario.Ratio> ratios = MemoryScenario.peakBytesInFlight(List.of(result(small)), small, growing);
        assertFalse(ratios.get(0).pass(), "max against the pipeline's earlier high-water mark");
        assertFalse(ratios.get(1).pass(), "95th percentile");
    }

    /** A saw-tooth from 0 to 1,900 bytes every 20 samples, one sample in the middle at {@code extreme}. */
    private static RunSampler.InFlight sawTooth(int samples, long extreme) {
        return inFlight(samples, i -> i == samples / 2 ? extreme : (i % 20) * 100);
    }

    private static RunSampler.InFlight inFlight(int samples, LongUnaryOperator bytes) {
        List<RunSampler.Sample> series = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            series.add(new RunSampler.Sample(i * 0.5, 1, bytes.applyAsLong(i), 1, Map.of()));
        }
        long max = series.stream().mapToLong(RunSampler.Sample::bytes).max().orElse(0);
        double mean = series.stream().mapToLong(RunSampler.Sample::bytes).average().orElse(0);
        return new RunSampler.InFlight(samples, 1, 1, max, mean, Map.of(), series);
    }

    private static PipelineResult result(RunSampler.InFlight inFlight) {
        return new PipelineResult("memory", Map.of(), inFlight.samples(), 1, 0, 0, List.of(), 0, Map.of(), inFlight);
    }
}
