package dev.kbi.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobAnnouncementTest {

    @Test
    void errorLimitsCountRowsOrTheirShare() {
        JobAnnouncement.ErrorLimit rows = new JobAnnouncement.ErrorLimit(2, -1);
        assertFalse(rows.exceededBy(2, 10));
        assertTrue(rows.exceededBy(3, 10));
        JobAnnouncement.ErrorLimit share = new JobAnnouncement.ErrorLimit(-1, 0.1);
        assertFalse(share.exceededBy(10, 100));
        assertTrue(share.exceededBy(11, 100));
        assertFalse(JobAnnouncement.ErrorLimit.UNLIMITED.exceededBy(1_000, 1_000));
    }

    @Test
    void errorLimitsDescribeThemselvesInOneWayForTheStatusAndTheManifest() {
        assertEquals("1 row", new JobAnnouncement.ErrorLimit(1, -1).describe());
        assertEquals("5 rows or 2.5% of the rows", new JobAnnouncement.ErrorLimit(5, 0.025).describe());
        assertEquals("10% of the rows", new JobAnnouncement.ErrorLimit(-1, 0.1).describe());
        assertEquals("unlimited", JobAnnouncement.ErrorLimit.UNLIMITED.describe());
        assertEquals("Too many errors: 3 of 100 rows dead-lettered, over max-errored-rows 2 rows",
                new JobAnnouncement.ErrorLimit(2, -1).tooManyErrors(3, 100));
    }

    @Test
    void announcementsAndEventsRoundTripAsJsonAndOldAnnouncementsHaveNoLimit() {
        JobAnnouncement limited = new JobAnnouncement("j", "/in", 10, 5L, new JobAnnouncement.ErrorLimit(1, 0.5));
        assertEquals(limited, JobJson.read(JobJson.write(limited), JobAnnouncement.class));
        byte[] old = "{\"jobId\":\"j\",\"input\":\"/in\",\"totalRows\":10,\"announcedAtMillis\":5}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(JobAnnouncement.ErrorLimit.UNLIMITED, JobJson.read(old, JobAnnouncement.class).errorLimit());
        StageEvent event = new StageEvent("j", "inference", 64, 63, 1, List.of("r1: E: bad"), 1L, 2L);
        assertEquals(event, JobJson.read(JobJson.write(event), StageEvent.class));
    }
}
