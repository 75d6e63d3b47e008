package dev.kbi.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressFrameTest {

    private static ProgressFrame frame(long total, boolean backpressure) {
        return new ProgressFrame("job-1", 12.34, total, backpressure, List.of(
                new ProgressFrame.Stage("reader", 1000, 200, -1, -1, 0, false),
                new ProgressFrame.Stage("preprocessor", 800, 180, 200, 2, 3, false),
                new ProgressFrame.Stage("inference", 500, 100, 300, 1, 0, true),
                new ProgressFrame.Stage("writer", 450, 100, 50, 1, 0, false)), Map.of("inference", 1));
    }

    @Test
    void barsShowEachStagesShareOfTheTotalAndMarkTheBottleneck() {
        List<String> bars = frame(1000, false).bars(200);

        assertEquals(5, bars.size(), String.join("\n", bars));
        assertTrue(bars.get(0).startsWith("Job job-1  12.3s  1,000 rows  ETA 5.5s  dead letters 3"), bars.get(0));
        assertTrue(bars.get(0).contains("inference restarted x1"), bars.get(0));
        assertTrue(bars.get(1).startsWith("reader        [########################] 100%     1,000/1,000"), bars.get(1));
        assertFalse(bars.get(1).contains("lag") || bars.get(1).contains("consumers"), "the reader has no group");
        assertTrue(bars.get(2).contains("[###################-----]  80%       800/1,000"), bars.get(2));
        assertTrue(bars.get(2).endsWith(" 180 rows/s  lag 200  consumers 2  dead letters 3"), bars.get(2));
        assertTrue(bars.get(3).endsWith("<- bottleneck"), bars.get(3));
        assertFalse(bars.get(4).contains("bottleneck"), bars.get(4));
    }

    @Test
    void beforeTheTotalIsKnownTheBarsSayReadingAndNoEta() {
        ProgressFrame reading = frame(-1, true);
        List<String> bars = reading.bars(200);
        assertTrue(bars.get(0).contains("reading") && bars.get(0).contains("[backpressure]"), bars.get(0));
        assertTrue(bars.get(1).contains("[????????????????????????]") && bars.get(1).contains("1,000/?"), bars.get(1));
        assertEquals(-1, reading.etaSeconds());
    }

    @Test
    void barsFitTheTerminalWidth() {
        frame(1000, true).bars(40).forEach(line -> assertTrue(line.length() <= 40, line));
    }

    @Test
    void theLineFormHasEveryStageTheTotalAndTheFlags() {
        String line = frame(1000, true).line();
        assertEquals("[  12.3s]  reader 1,000  preprocessor 800 (lag 200)  inference 500 (lag 300) *  writer 450 (lag 50)"
                + "  of 1,000  | dead letters 3  | backpressure  | inference restarted x1", line);
    }

    @Test
    void etaIsTheRowsLeftOverTheWritersRate() {
        assertEquals(5.5, frame(1000, false).etaSeconds(), 1e-9);
        ProgressFrame done = new ProgressFrame("j", 1, 10, false,
                List.of(new ProgressFrame.Stage("writer", 10, Double.NaN, 0, 1, 0, false)), Map.of());
        assertEquals(0, done.etaSeconds());
    }

    @Test
    void durationsReadAsAPersonWritesThem() {
        assertEquals("9.5s", ProgressFrame.duration(9.5));
        assertEquals("2m05s", ProgressFrame.duration(125));
        assertEquals("1h01m01s", ProgressFrame.duration(3661));
    }
}
