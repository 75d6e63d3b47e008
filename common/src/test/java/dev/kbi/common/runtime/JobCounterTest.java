package dev.kbi.common.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbi.common.job.JobJson;
import dev.kbi.common.job.StageEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobCounterTest {

    @Test
    void aBatchOfTwoJobsSharesItsBusyTimeByRowsAndGivesEachItsLatency() {
        JobCounter counter = new JobCounter("preprocessor", "pod-a/preprocessor-0");
        counter.block("job-a", 300, 3_000);
        counter.block("job-b", 100, 1_000);
        counter.busy(Map.of("job-a", 300L, "job-b", 100L), 40_000_000);
        counter.out("job-a", 299);
        counter.deadLettered("job-a", 1, "dev.kbi.preprocessor.CorruptImage", "r1: CorruptImage: ends early");
        List<StageEvent> events = counter.drain();
        StageEvent a = events.get(0);
        StageEvent b = events.get(1);
        assertEquals(List.of(300L, 1L, 3_000L, 30_000_000L), List.of(a.rowsIn(), a.blocks(), a.bytesIn(), a.busyNanos()));
        assertEquals(10_000_000L, b.busyNanos());
        assertEquals(1, a.batchLatency().count());
        double p50 = a.batchLatency().quantileMillis(0.5);
        assertTrue(p50 > 36 && p50 < 44, "the whole batch's 40 ms: " + p50);
        assertEquals(Map.of("dev.kbi.preprocessor.CorruptImage", 1L), a.deadLettersByReason());
        assertEquals("pod-a/preprocessor-0", a.worker());
        assertEquals(a, JobJson.read(JobJson.write(a), StageEvent.class), "events travel as JSON");
        assertTrue(counter.drain().isEmpty(), "counts restart after a drain");
    }

    @Test
    void eventsOfOlderProducersReadWithEmptyFigures() {
        byte[] old = ("{\"jobId\":\"job-1\",\"stage\":\"writer\",\"rowsIn\":2,\"rowsOut\":2,\"rowsDeadLettered\":0,"
                + "\"firstErrors\":[],\"firstAtMillis\":1,\"lastAtMillis\":2}").getBytes();
        StageEvent event = JobJson.read(old, StageEvent.class);
        assertEquals(new StageEvent("job-1", "writer", 2, 2, 0, List.of(), 1, 2), event);
        assertEquals(0, event.batchLatency().count());
    }
}
