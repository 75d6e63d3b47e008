package dev.kbi.common.job;

import java.util.Map;
import java.util.TreeMap;

/**
 * Durations counted in logarithmic buckets, mergeable by adding counts: what lets a job's batch
 * latency quantiles be summed from many workers' events, as Prometheus histograms are summed from
 * many instances. Bucket {@code b} holds durations in ({@code 0.01 ms × r^(b-1)}, {@code 0.01 ms × r^b}]
 * with {@code r = 2^(1/4)}: a quantile read from it is within 10% of the true value. Only
 * non-empty buckets are kept (JSON: {@code {"buckets":{"57":3,"58":12}}}).
 *
 * @param buckets count per bucket index
 */
public record LatencyHistogram(Map<Integer, Long> buckets) {

    /** The lower end of bucket 0 and the upper end of everything below it. */
    private static final double BASE_MILLIS = 0.01;
    private static final double LOG_RATIO = Math.log(2) / 4;
    /** About 1.6 hours: longer durations are counted in the last bucket. */
    private static final int MAX_BUCKET = 160;

    public static final LatencyHistogram EMPTY = new LatencyHistogram(Map.of());

    public LatencyHistogram {
        buckets = buckets == null ? Map.of() : Map.copyOf(buckets);
    }

    /** The bucket a duration of {@code nanos} falls in. */
    public static int bucketOf(long nanos) {
        double millis = nanos / 1e6;
        if (millis <= BASE_MILLIS) {
            return 0;
        }
        int bucket = (int) Math.ceil(Math.log(millis / BASE_MILLIS) / LOG_RATIO - 1e-9);
        return Math.min(bucket, MAX_BUCKET);
    }

    /** The upper end of bucket {@code bucket}, in milliseconds. */
    public static double upperMillis(int bucket) {
        return BASE_MILLIS * Math.exp(bucket * LOG_RATIO);
    }

    /** This histogram with one more duration of {@code nanos}. */
    public LatencyHistogram with(long nanos) {
        Map<Integer, Long> next = new TreeMap<>(buckets);
        next.merge(bucketOf(nanos), 1L, Long::sum);
        return new LatencyHistogram(next);
    }

    /** The counts of both. */
    public LatencyHistogram plus(LatencyHistogram other) {
        if (other == null || other.buckets.isEmpty()) {
            return this;
        }
        Map<Integer, Long> next = new TreeMap<>(buckets);
        other.buckets.forEach((bucket, count) -> next.merge(bucket, count, Long::sum));
        return new LatencyHistogram(next);
    }

    public long count() {
        return buckets.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The {@code q} quantile (0 < q <= 1) in milliseconds: the geometric middle of the bucket holding
     * it, or null when nothing was counted.
     */
    public Double quantileMillis(double q) {
        long total = count();
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (Map.Entry<Integer, Long> entry : new TreeMap<>(buckets).entrySet()) {
            seen += entry.getValue();
            if (seen >= rank) {
                int bucket = entry.getKey();
                return bucket == 0 ? BASE_MILLIS : Math.sqrt(upperMillis(bucket - 1) * upperMillis(bucket));
            }
        }
        throw new IllegalStateException("unreachable: rank " + rank + " of " + total);
    }
}
