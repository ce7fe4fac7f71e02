package io.github.knthumbnails.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class JobStatusTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static ObjectInfo source(String eTag) {
        return new ObjectInfo("images", "uploads/cat.jpg", eTag, 1234, "image/jpeg", T0, Map.of());
    }

    private static JobRecord succeededFor(String eTag) {
        return JobRecord.succeeded(eTag, T0, T0.plusMillis(80),
                List.of(new RenditionInfo("thumb", 100, 100, "image/jpeg", 3000, "100x100:cover:80:jpeg")));
    }

    @Test
    void nothingRecordedIsPending() {
        assertThat(JobStatus.derive(source("new"), Optional.empty()).state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void aRecordForTheCurrentETagDecides() {
        JobStatus status = JobStatus.derive(source("e1"), Optional.of(succeededFor("e1")));

        assertThat(status.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(status.record()).contains(succeededFor("e1"));
    }

    @Test
    void anOutcomeForAnOlderUploadNeverMakesTheNewerOneLookDone() {
        JobStatus overwritten = JobStatus.derive(source("new"), Optional.of(succeededFor("old")));

        assertThat(overwritten.state()).isEqualTo(JobState.PENDING);
        assertThat(overwritten.record()).isEmpty();
    }

    @Test
    void anOlderFailureDoesNotFailTheNewerUploadEither() {
        JobRecord failed = JobRecord.failed("old", T0, T0, new JobError("corrupt", "truncated"));

        assertThat(JobStatus.derive(source("new"), Optional.of(failed)).state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void processingAndFailedAreReportedForTheirETag() {
        assertThat(JobStatus.derive(source("e1"), Optional.of(JobRecord.processing("e1", T0))).state())
                .isEqualTo(JobState.PROCESSING);
        assertThat(JobStatus.derive(source("e1"), Optional.of(JobRecord.failed("e1", T0, T0,
                new JobError("corrupt", "truncated")))).state()).isEqualTo(JobState.FAILED);
    }
}
