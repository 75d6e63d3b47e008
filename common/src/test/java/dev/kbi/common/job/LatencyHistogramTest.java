package dev.kbi.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void quantilesAreWithinTenPercentOfTheExactOnes() {
        Random random = new Random(7);
        long[] nanos = LongStream.generate(() -> (long) (Math.exp(random.nextGaussian() * 1.5 + 3) * 1e6))
                .limit(10_000).toArray();
        LatencyHistogram histogram = LatencyHistogram.EMPTY;
        for (long n : nanos) {
            histogram = histogram.with(n);
        }
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            double exact = sorted[(int) Math.ceil(q * sorted.length) - 1] / 1e6;
            double read = histogram.quantileMillis(q);
            assertTrue(Math.abs(read - exact) / exact < 0.10, "q" + q + ": " + read + " ms vs exact " + exact);
        }
        assertEquals(10_000, histogram.count());
    }

    @Test
    void histogramsOfSeveralWorkersAddUpAndSurviveJson() {
        LatencyHistogram a = LatencyHistogram.EMPTY.with(1_000_000).with(2_000_000);
        LatencyHistogram b = LatencyHistogram.EMPTY.with(400_000_000);
        LatencyHistogram both = a.plus(b);
        assertEquals(3, both.count());
        assertEquals(both, JobJson.read(JobJson.write(both), LatencyHistogram.class));
        double p99 = both.quantileMillis(0.99);
        assertTrue(p99 > 360 && p99 < 440, "p99 " + p99);
        assertNull(LatencyHistogram.EMPTY.quantileMillis(0.5), "nothing counted: no quantile");
    }

    @Test
    void bucketsCoverTinyAndHugeDurations() {
        assertEquals(0, LatencyHistogram.bucketOf(0));
        assertEquals(0, LatencyHistogram.bucketOf(10_000));
        assertTrue(LatencyHistogram.bucketOf(1L << 62) <= 160);
        int oneMs = LatencyHistogram.bucketOf(1_000_000);
        assertTrue(LatencyHistogram.upperMillis(oneMs) >= 1.0 && LatencyHistogram.upperMillis(oneMs - 1) < 1.0);
    }
}
