package io.github.knthumbnails.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.knthumbnails.backfill.Selection.Reason;
import io.github.knthumbnails.image.RenditionSpec;
import io.github.knthumbnails.storage.JobError;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.RenditionInfo;
import org.junit.jupiter.api.Test;

/** Issue 13: which uploads the backfill sends, one case per job state. */
class SelectionTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Map<String, String> PROFILE = RenditionSpec.profile(RenditionSpec.parseList(
            "thumb:100x100:cover:80,grey:64x64:cover:80:grayscale"));
    private static final ObjectInfo UPLOAD = new ObjectInfo("images", "a/cat.jpg", "etag-2", 1234, null,
            NOW.minusSeconds(86_400), Map.of());
    private final Selection selection = new Selection(PROFILE, Duration.ofMinutes(10));

    private static JobRecord succeeded(String eTag, String thumbSpec, String greySpec) {
        return JobRecord.succeeded(eTag, NOW.minusSeconds(60), NOW.minusSeconds(59), List.of(
                new RenditionInfo("thumb", 100, 100, "image/jpeg", 3000, thumbSpec),
                new RenditionInfo("grey", 64, 64, "image/jpeg", 1500, greySpec)));
    }

    private Optional<Reason> reason(JobRecord record) {
        return selection.reason(UPLOAD, Optional.ofNullable(record), NOW);
    }

    @Test
    void anUploadWithoutARecordIsSent() {
        assertThat(reason(null)).contains(Reason.MISSING);
    }

    @Test
    void aRecordOfAnotherVersionIsSentWhateverItsState() {
        assertThat(reason(succeeded("etag-1", "100x100:cover:80:jpeg", "64x64:cover:80:jpeg:grayscale")))
                .contains(Reason.OTHER_VERSION);
        assertThat(reason(JobRecord.processing("etag-1", NOW))).contains(Reason.OTHER_VERSION);
    }

    @Test
    void aSuccessMadeByThisProfileIsSkippedAndOneMadeByAnotherIsSent() {
        assertThat(reason(succeeded("etag-2", "100x100:cover:80:jpeg", "64x64:cover:80:jpeg:grayscale"))).isEmpty();
        assertThat(reason(succeeded("etag-2", "100x100:cover:60:jpeg", "64x64:cover:80:jpeg:grayscale")))
                .contains(Reason.OTHER_PROFILE);
        assertThat(reason(JobRecord.succeeded("etag-2", NOW, NOW, List.of(
                new RenditionInfo("thumb", 100, 100, "image/jpeg", 3000, "100x100:cover:80:jpeg")))))
                .as("a rendition missing from the record").contains(Reason.OTHER_PROFILE);
        assertThat(reason(succeeded("etag-2", null, null))).as("written before specs were kept")
                .contains(Reason.OTHER_PROFILE);
    }

    @Test
    void aFailureTheEngineDecidedIsSkippedAndAnyOtherIsSent() {
        assertThat(reason(JobRecord.failed("etag-2", NOW, NOW, new JobError("corrupt", "truncated")))).isEmpty();
        assertThat(reason(JobRecord.failed("etag-2", NOW, NOW, new JobError("delivery_failed", "gave up"))))
                .contains(Reason.NOT_FINAL);
        assertThat(reason(JobRecord.failed("etag-2", NOW, NOW, new JobError("deadline_exceeded", "slow"))))
                .contains(Reason.NOT_FINAL);
    }

    @Test
    void processingIsSentOnlyOnceItIsOlderThanTheStuckThreshold() {
        assertThat(reason(JobRecord.processing("etag-2", NOW.minus(Duration.ofMinutes(9))))).isEmpty();
        assertThat(reason(JobRecord.processing("etag-2", NOW.minus(Duration.ofMinutes(11))))).contains(Reason.STUCK);
    }

    @Test
    void theStuckThresholdMustBePositive() {
        assertThatThrownBy(() -> new Selection(PROFILE, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }

    @Test
    void aKeyThePipelineCannotProcessIsNeverSent() {
        ObjectInfo tooLong = new ObjectInfo("images", "k".repeat(1005), "etag-2", 1234, null, NOW, Map.of());
        assertThat(selection.reason(tooLong, Optional.empty(), NOW)).as("renditions/thumb/images/<key> is over the"
                + " S3 limit: resize records nothing for it").isEmpty();
    }
}
