package dev.kbi.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"job-1795832883400", "bad-input-job", "a", "A.b_c-9", "unknown", "2026.12.03-run_7"})
    void acceptsOrdinaryIds(String jobId) {
        assertTrue(JobIds.isValid(jobId));
        assertEquals(jobId, JobIds.require(jobId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "../../../../etc", "a/../../b", "/tmp/x", "a/b", "a\\b",
            "..\\..\\x", "..%2F..%2Fx", "%2e%2e", "-rf", ".hidden", "_x", "a b", "a\u0000b", "a\nb", "a\tb",
            "\uFF0E\uFF0E\u2215x", "\u2024\u2024", "caf\u00e9", "C:x", "a~b"})
    void refusesWhatCouldLeaveAFolderOrHideInOne(String jobId) {
        assertFalse(JobIds.isValid(jobId), jobId);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobIds.require(jobId));
        assertTrue(e.getMessage().startsWith("Invalid job id"), e.getMessage());
    }

    @Test
    void refusesNullAndOverlongIds() {
        assertFalse(JobIds.isValid(null));
        assertTrue(JobIds.isValid("x".repeat(JobIds.MAX_LENGTH)));
        assertFalse(JobIds.isValid("x".repeat(JobIds.MAX_LENGTH + 1)));
    }

    @Test
    void quotesRefusedValuesSafelyForLogsAndMessages() {
        assertEquals("'a\\u0000b\\u000a\\u2215'", JobIds.quote("a\u0000b\n\u2215"));
        assertEquals("'" + "x".repeat(64) + "' (5000 characters)", JobIds.quote("x".repeat(5_000)));
        assertEquals("(none)", JobIds.quote(null));
    }

    @Test
    void announcementsAndEventsOfInvalidJobsAreUnreadable() {
        byte[] announcement = "{\"jobId\":\"../../x\",\"input\":\"i\",\"totalRows\":0,\"announcedAtMillis\":1}"
                .getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobJson.read(announcement, JobAnnouncement.class));
        assertTrue(e.getMessage().contains("Invalid job id '../../x'"), e.getMessage());
        byte[] event = "{\"jobId\":\"/abs\",\"stage\":\"writer\"}".getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> JobJson.read(event, StageEvent.class));
    }
}
